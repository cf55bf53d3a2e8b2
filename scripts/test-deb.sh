#!/usr/bin/env bash
# Installs the .deb from scripts/dist-deb.sh on a fresh, minimal Debian and checks it there:
# apt accepts its Depends; the menu entry 绩效自评 is installed and passes desktop-file-validate;
# the draft MIME type is registered; `zipin check` on the sample gives the same findings JSON as
# on this machine, and `zipin export` writes a PDF with the same text.
#
#   scripts/test-deb.sh [DEB]      (default: dist/zipin_<version>_amd64.deb, built if missing)
#
# The fresh system is Debian 11 "bullseye" (glibc 2.31, as Kylin V10; DEB_TEST_SUITE picks
# another), made once by debootstrap (minbase) under ~/.cache/zipin-build and copied for each
# run, so the package always meets an untouched system. Needs root (chroot) and the Debian mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "test-deb.sh: needs root (debootstrap, chroot)" >&2; exit 1; }
need=()
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

version=$(cargo pkgid | sed 's/.*[#@]//')
deb=${1:-dist/zipin_${version//-/\~}_amd64.deb}
[ -f "$deb" ] || bash scripts/dist-deb.sh
deb=$(realpath "$deb")

suite=${DEB_TEST_SUITE:-bullseye}
base="${XDG_CACHE_HOME:-$HOME/.cache}/zipin-build/debian-$suite"
if [ ! -x "$base/usr/bin/apt-get" ]; then
    rm -rf "$base"
    debootstrap --variant=minbase "$suite" "$base" http://deb.debian.org/debian
fi
work=$(mktemp -d)
sys="$work/root"
cleanup() { umount "$sys/proc" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cp -a "$base" "$sys"
cp /etc/resolv.conf "$sys/etc/resolv.conf"
mount -t proc proc "$sys/proc"
in_sys() { chroot "$sys" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 HOME=/root "$@"; }
echo "test-deb: $(in_sys ldd --version | head -1)"

cp "$deb" "$sys/tmp/zipin.deb"
in_sys apt-get update -qq
# desktop-file-utils and shared-mime-info: what a desktop system has, and what the checks use.
in_sys env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    /tmp/zipin.deb desktop-file-utils shared-mime-info >"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log" >&2; echo "test-deb: FAILED: apt could not install the package" >&2; exit 1; }

fails=0 passes=0
ok() { echo "ok: $1"; passes=$((passes + 1)); }
bad() { echo "FAILED: $1" >&2; fails=$((fails + 1)); }
desktop=/usr/share/applications/zipin.desktop
if in_sys desktop-file-validate "$desktop" && grep -qx 'Name=绩效自评' "$sys$desktop"; then
    ok "menu entry 绩效自评 installed, desktop-file-validate passes"
else
    bad "menu entry"
fi
[ -f "$sys/usr/share/mime/application/x-zipin-draft.xml" ] && ok "MIME type registered" || bad "MIME type"
[ -f "$sys/usr/share/doc/zipin/THIRD-PARTY-LICENSES.txt" ] && ok "licences installed" || bad "licences"

# The packaged binary on the fresh system against the one on this machine.
cp templates/examples/miluo-2023.ron "$sys/tmp/sample.ron"
in_sys zipin check /tmp/sample.ron --format json >"$work/there.json" && rc=0 || rc=$?
host_bin="$work/host"
dpkg-deb -x "$deb" "$host_bin"
"$host_bin/usr/bin/zipin" check templates/examples/miluo-2023.ron --format json >"$work/here.json" || true
if [ "$rc" = 1 ] && [ "$(jq length "$work/there.json")" -gt 0 ] \
    && diff <(jq -S 'walk(if type == "string" then sub("/tmp/sample.ron"; "F") else . end)' "$work/there.json") \
            <(jq -S 'walk(if type == "string" then sub("templates/examples/miluo-2023.ron"; "F") else . end)' "$work/here.json") >/dev/null; then
    ok "zipin check: $(jq length "$work/there.json") findings, as on this machine"
else
    bad "zipin check (exit $rc)"
fi
in_sys zipin export /tmp/sample.ron -o /tmp/sample.pdf >/dev/null 2>&1 || true
"$host_bin/usr/bin/zipin" export templates/examples/miluo-2023.ron -o "$work/here.pdf" >/dev/null 2>&1 || true
if [ -s "$sys/tmp/sample.pdf" ] && [ -s "$work/here.pdf" ] \
    && diff <(pdftotext -layout "$sys/tmp/sample.pdf" -) <(pdftotext -layout "$work/here.pdf" -) >/dev/null; then
    ok "zipin export: PDF of $(pdfinfo "$sys/tmp/sample.pdf" | awk '/^Pages:/ {print $2}') pages, same text as on this machine"
else
    bad "zipin export"
fi
echo "test-deb: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
