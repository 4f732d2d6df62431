#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# setup.sh: install the Debian packages that building and testing need,
# where missing. Fast and silent when all are there (dpkg-query); otherwise
# one apt-get update and one apt-get install. Root, or sudo where present.
#
#   build-essential       gcc, make, libc6-dev (static libc for the apps)
#   libfdt-dev            boot info (VMM)
#   libseccomp-dev        the sandbox's allowlists
#   libcriterion-dev      unit tests
#   python3-kconfiglib    .config and autoconf.h
#   busybox-static        the demo image (tools/mkimage-busybox.sh)
#   binutils              readelf (is busybox static?)
set -euo pipefail

pkgs=(build-essential libfdt-dev libseccomp-dev libcriterion-dev
      python3-kconfiglib busybox-static binutils
      python3 sqlite3 diffutils)	# the e2e image packs this machine's (test/dyn/run.sh --e2e)

# One dpkg-query for all: "ii " means installed.
# dpkg-query fails when one is unknown to dpkg: that is what we look for.
installed=" $(dpkg-query -W -f='${db:Status-Abbrev}${Package} ' "${pkgs[@]}" 2>/dev/null |
	      grep -oE 'ii +[^ ]+' | sed 's/^ii *//' | tr '\n' ' ' || true)"
missing=()
for p in "${pkgs[@]}"; do
	[[ $installed == *" $p "* ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if ! command -v apt-get >/dev/null; then
	echo "setup.sh: missing packages: ${missing[*]}; no apt-get here, install them by hand" >&2
	exit 1
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
	if ! command -v sudo >/dev/null; then
		echo "setup.sh: missing packages: ${missing[*]}; run as root or install sudo" >&2
		exit 1
	fi
	sudo=(sudo)
fi
echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
