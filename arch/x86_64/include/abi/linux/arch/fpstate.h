/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fpstate.h: the FPU state in an x86_64 signal frame, as Linux lays it out.
 * FXSAVE's 512 bytes; with XSAVE, the standard-format image follows and
 * the FXSAVE area's sw_reserved bytes say so (struct _fpx_sw_bytes), with
 * FP_XSTATE_MAGIC2 right after the image.
 */
#ifndef ABI_LINUX_ARCH_FPSTATE_H
#define ABI_LINUX_ARCH_FPSTATE_H

#include <stdint.h>

#define LINUX_FXSAVE_SIZE	512
#define LINUX_FPX_SW_OFFSET	464	/* sw_reserved in the FXSAVE area */
#define LINUX_FP_XSTATE_MAGIC1	0x46505853U
#define LINUX_FP_XSTATE_MAGIC2	0x46505845U
#define LINUX_FP_XSTATE_MAGIC2_SIZE 4
#define LINUX_UC_FP_XSTATE	0x1	/* uc_flags: the frame has an XSAVE image */

struct linux_fpx_sw_bytes {
	uint32_t magic1;
	uint32_t extended_size;	/* xstate_size + FP_XSTATE_MAGIC2_SIZE */
	uint64_t xfeatures;	/* the user features the image may hold (XCR0) */
	uint32_t xstate_size;
	uint32_t padding[7];
};

_Static_assert(sizeof(struct linux_fpx_sw_bytes) == 48, "struct _fpx_sw_bytes");

#endif /* ABI_LINUX_ARCH_FPSTATE_H */
