/* SPDX-License-Identifier: Apache-2.0 */
/* kconfig.h: IS_ENABLED() for CONFIG_* values from build/autoconf.h (Linux style). */
#ifndef SENTRY_KCONFIG_H
#define SENTRY_KCONFIG_H

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)

#endif /* SENTRY_KCONFIG_H */
