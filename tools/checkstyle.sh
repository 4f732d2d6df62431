#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# checkstyle.sh: layout rules a compiler cannot check (style.md §3.11), then
# clang-format on the C sources. Not part of `make check`: run `make checkstyle`.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0

# The core never includes libc: only compiler headers and our namespaces.
if grep -rnE '#include <' kernel fs net arch/*/core --include='*.[ch]' |
	grep -vE '<(stdint|stddef|stdbool|stdarg)\.h>'; then
	echo "checkstyle: libc header in the core (above)"; bad=1
fi
# The KVM half of the VMM sees only abi/sentry/* from the core.
if grep -rnE '#include "sentry/(platform|host|task|mm|vfs)\.h"' vmm/kvm arch/*/vmm 2>/dev/null |
	grep -v 'sentry/host.h'; then
	echo "checkstyle: vmm/kvm includes core-internal headers (above)"; bad=1
fi
# No exit() below main().
if grep -rnE '\b(exit|_exit|abort)\(' vmm --include='*.c' | grep -vE 'vmm/main\.c|plat_panic|/\*'; then
	echo "checkstyle: exit/abort below main() (above)"; bad=1
fi
if command -v clang-format >/dev/null; then
	files=$(git ls-files '*.c' '*.h' | grep -v '^test/apps/')
	clang-format --dry-run $files 2>&1 | grep -c warning | sed 's/^/clang-format warnings: /'
fi
exit $bad
