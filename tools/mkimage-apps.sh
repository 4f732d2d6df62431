#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# mkimage-apps.sh OUT.tar [BIN...]: the app suite's image (test/apps).
#   /apps/NAME       each app BIN (default: build/apps/*), 0755
#   /apps/notelf     a text file with x bits (exec must fail with 126)
#   /bench/NAME      bench programs among BIN (default: build/bench/*_lat)
#   /data/...        the files described in test/apps/data.h
#   /etc/passwd, /etc/group, /tmp
# A GNU-format tar (long names and long link targets as ././@LongLink),
# owner 0, fixed mtime, sorted: the same inputs give the same bytes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

[[ $# -ge 1 ]] || { echo "usage: $0 OUT.tar [BIN...]" >&2; exit 2; }
out=$(realpath -m "$1"); shift
if [[ $# -eq 0 ]]; then
	set -- "$top"/build/apps/* "$top"/build/bench/*_lat
fi

# Facts shared with the apps: read them from data.h, the one place they live.
data_h=$top/test/apps/data.h
hdr() { sed -n "s/^#define $1[[:space:]]\+\(.*\)$/\1/p" "$data_h"; }
hello_text=$(hdr HELLO_TEXT | sed 's/^"\(.*\)\\n"$/\1/')
long_name=$(hdr LONG_NAME | tr -d '"')
mtime=$(hdr DATA_MTIME)
if [[ -z $hello_text || ${#long_name} -le 100 || $long_name == *[^A-Za-z0-9.-]* ||
      ! $mtime =~ ^[0-9]+$ ]]; then
	echo "$0: cannot parse HELLO_TEXT, LONG_NAME and DATA_MTIME in $data_h" >&2
	exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
umask 022
mkdir -p "$root"/{apps,bench,etc,tmp} "$root"/data/{subdir/nested/deeper,longname}
chmod 0755 "$root"
chmod 1777 "$root/tmp"

for bin in "$@"; do
	case $bin in
	*/bench/*) install -m 0755 "$bin" "$root/bench/" ;;
	*) install -m 0755 "$bin" "$root/apps/" ;;
	esac
done
printf 'this is a text file, not an ELF\n' >"$root/apps/notelf"
chmod 0755 "$root/apps/notelf"

cd "$root/data"
printf '%s\n' "$hello_text" >hello.txt
ln hello.txt hardlink
# pattern_byte(i) in data.h: (i * 131 + (i >> 12)) & 0xff
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 131 + (i >> 12)) & 0xff for i in range(200 * 1024)))' >pattern.bin
ln -s hello.txt link-rel
ln -s /data/hello.txt link-abs
ln -s subdir link-dir
ln -s missing dangling
printf 'deep\n' >subdir/nested/deeper/file.txt
printf 'long\n' >"longname/$long_name"
ln -s "$long_name" longname/link

cat >"$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PW
cat >"$root/etc/group" <<'GR'
root:x:0:
nogroup:x:65534:
GR

mkdir -p "$(dirname "$out")"
tar -C "$root" --format=gnu --sort=name --owner=0 --group=0 --numeric-owner \
	--mtime=@"$mtime" -cf "$out.tmp" .
mv "$out.tmp" "$out"
