#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# run.sh: prove the KVM platform's ring-0 flavour (VMX/SVM) on a machine
# without hardware KVM: boot a stock Debian kernel in QEMU with TCG and
# `-cpu max` (nested SVM), load kvm_amd inside, and run sentry-vm there
# (../shared/docs/hw-kvm-testing.md). A developer tool, not part of
# `make check`: it takes about a minute and downloads Debian packages.
#
#   tools/qemu-kvm/run.sh                    sentry-vm run --platform=kvm IMAGE /bin/busybox echo hello
#   tools/qemu-kvm/run.sh -- ARGS...         sentry-vm run --platform=kvm IMAGE ARGS...
#   tools/qemu-kvm/run.sh --vmm-tests        test/vmm/run.sh (tiny and broken guests) instead
#   tools/qemu-kvm/run.sh --apps [CASE...]   test/run-apps.sh all (native, ptrace, kvm) inside
#   tools/qemu-kvm/run.sh --script FILE      FILE run by sh inside, one boot for many runs;
#                                            $SENTRY there is "sentry-vm run --platform=kvm IMAGE"
#   --image TAR (before the others)          use TAR as IMAGE
#
# Everything it fetches or builds is cached under build/qemu-kvm/ (nothing
# is committed): Debian's qemu-system-x86, cpio, busybox-static and bash
# are installed with apt-get when missing; the kernel package that
# linux-image-amd64 depends on is fetched with `apt-get download`. IMAGE is
# images/busybox.tar when it exists, else a one-file tar of busybox-static.
# QEMU_TIMEOUT (seconds, default 1800) bounds the boot: the whole app matrix
# under TCG takes 3-10 minutes, depending on how busy the host is.
# Exit status: 0 when the inner run ended as expected.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
C=$ROOT/build/qemu-kvm
mode=sentry
args=(/bin/busybox echo hello)
script=
image=
if [[ ${1:-} == --image ]]; then
	image=$(realpath "$2")
	shift 2
fi
if [[ ${1:-} == --vmm-tests ]]; then
	mode=vmm
	shift
elif [[ ${1:-} == --apps ]]; then
	mode=apps
	shift
	args=("$@")
	set --
elif [[ ${1:-} == --script ]]; then
	script=$(realpath "$2")
	shift 2
fi
if [[ ${1:-} == -- ]]; then
	shift
	args=("$@")
fi
mkdir -p "$C"
log() { echo "qemu-kvm: $*" >&2; }

# --- 1. host packages ---------------------------------------------------------
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
command -v cpio >/dev/null || missing+=(cpio)
[[ -x /bin/busybox ]] && /bin/busybox --list | grep -qx insmod || missing+=(busybox-static)
if ((${#missing[@]})); then
	log "installing ${missing[*]}"
	apt-get install -y "${missing[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
fi
# busybox-static is a static binary; make sure it is that one.
file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || {
	log "/bin/busybox is not static: installing busybox-static"
	apt-get install -y busybox-static >/dev/null
}

# --- 2. the kernel and its KVM modules ------------------------------------------
if [[ ! -f $C/kernel/vmlinuz ]]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
	if [[ -z $pkg ]]; then
		apt-get update >/dev/null
		pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
	fi
	log "fetching $pkg"
	rm -rf "$C/deb" "$C/kernel.tmp"
	mkdir -p "$C/deb" "$C/kernel.tmp/modules"
	(cd "$C/deb" && apt-get download "$pkg" >/dev/null)
	dpkg-deb -x "$C"/deb/*.deb "$C/deb/x"
	cp "$C"/deb/x/boot/vmlinuz-* "$C/kernel.tmp/vmlinuz"
	for m in virt/lib/irqbypass drivers/crypto/ccp/ccp arch/x86/kvm/kvm arch/x86/kvm/kvm-amd; do
		f=$(ls "$C"/deb/x/lib/modules/*/kernel/$m.ko* | head -n 1)
		case $f in
		*.xz) xz -dc "$f" >"$C/kernel.tmp/modules/$(basename "$m").ko" ;;	# busybox insmod cannot
		*.zst) zstd -qdc "$f" >"$C/kernel.tmp/modules/$(basename "$m").ko" ;;
		*) cp "$f" "$C/kernel.tmp/modules/" ;;
		esac
	done
	rm -rf "$C/deb" "$C/kernel"
	mv "$C/kernel.tmp" "$C/kernel"
fi

# --- 3. what runs inside ----------------------------------------------------------
if [[ $mode == sentry ]]; then
	make --no-print-directory -s build/sentry-vm
	if [[ -n $image ]]; then
		:
	elif [[ -f images/busybox.tar ]]; then
		image=images/busybox.tar
	else
		image=$C/busybox.tar
		if [[ ! -f $image ]]; then
			rm -rf "$C/rootfs" && mkdir -p "$C/rootfs/bin"
			cp /bin/busybox "$C/rootfs/bin/busybox"
			tar -cf "$image" -C "$C/rootfs" .
		fi
	fi
elif [[ $mode == apps ]]; then
	make --no-print-directory -s all apps
else
	mk=()
	grep -q 'test/vmm/Build.mk' test/Build.mk || mk=(-f Makefile -f test/vmm/Build.mk)
	make --no-print-directory -s "${mk[@]}" vmm-tests
fi

# --- 4. the initramfs ---------------------------------------------------------------
R=$C/initramfs
rm -rf "$R"
mkdir -p "$R"/{bin,proc,sys,dev,tmp,modules,work}
cp /bin/busybox "$R/bin/busybox"
cp "$C"/kernel/modules/*.ko "$R/modules/"
# A dynamic binary and the libraries it needs, at the same paths.
copy_dyn() {
	local bin=$1 dest=$2 lib
	mkdir -p "$(dirname "$R$dest")"
	cp "$bin" "$R$dest"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$lib")"
		cp -L "$lib" "$R$lib"
	done
}
if [[ $mode == sentry ]]; then
	copy_dyn build/sentry-vm /sentry-vm
	cp "$image" "$R/image.tar"
	if [[ -n $script ]]; then
		{ echo 'SENTRY="/sentry-vm run --platform=kvm -m 256M /image.tar"'; cat "$script"; } >"$R/cmd"
	else
		printf '%q ' /sentry-vm run --platform=kvm -m 256M /image.tar "${args[@]}" >"$R/cmd"
	fi
elif [[ $mode == apps ]]; then
	copy_dyn "$(command -v bash)" /bin/bash
	copy_dyn build/sentry-vm /work/build/sentry-vm
	cp build/apps.tar "$R/work/build/apps.tar"
	mkdir -p "$R/work/test"
	cp test/run-apps.sh "$R/work/test/run-apps.sh"
	{ printf 'cd /work && /bin/bash test/run-apps.sh all'
	  ((${#args[@]} == 0)) || printf ' %q' "${args[@]}"
	  echo; } >"$R/cmd"
else
	copy_dyn "$(command -v bash)" /bin/bash
	copy_dyn build/test/vmm/vmmtest /work/build/test/vmm/vmmtest
	cp build/test/vmm/*.elf "$R/work/build/test/vmm/"
	mkdir -p "$R/work/test/vmm"
	cp test/vmm/run.sh "$R/work/test/vmm/run.sh"
	echo 'VMMTEST_PREBUILT=1 /bin/bash /work/test/vmm/run.sh' >"$R/cmd"
fi
cat >"$R/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /usr/bin && ln -s /bin/busybox /usr/bin/env
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in irqbypass ccp kvm kvm-amd; do
	insmod /modules/$m.ko || echo "=== insmod $m failed"
done
[ -e /dev/kvm ] || echo "=== no /dev/kvm in the QEMU guest"
echo "=== run: $(cat /cmd)"
sh /cmd
echo "=== status $?"
sleep 1
poweroff -f
INIT
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$C/initrd.gz"

# --- 5. boot ----------------------------------------------------------------------------
log "booting (TCG, nested SVM)"
start=$(date +%s)
out=$C/console.log
timeout "${QEMU_TIMEOUT:-1800}" qemu-system-x86_64 -accel tcg,thread=multi -M q35 -cpu max -smp 2 -m 1G \
	-nographic -no-reboot -nic none -kernel "$C/kernel/vmlinuz" -initrd "$C/initrd.gz" \
	-append 'console=ttyS0 quiet panic=-1 mitigations=off' </dev/null >"$out" 2>&1 || true
log "done in $(($(date +%s) - start)) s; console in $out"
tr -d '\r' <"$out" | sed -n '/=== run:/,/^=== status/p'
status=$(tr -d '\r' <"$out" | sed -n 's/^=== status \([0-9]*\)$/\1/p' | tail -n 1)
if [[ -z $status ]]; then
	log "no result; last console lines:"
	tail -n 30 "$out" >&2
	exit 1
fi
[[ $status -eq 0 ]]
