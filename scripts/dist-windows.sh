#!/usr/bin/env bash
# Cross-builds zipin.exe for 64-bit Windows on Debian and packs
#   dist/zipin-<version>-windows-x86_64.zip   (zipin.exe, 使用说明.txt, LICENSE.txt, LICENSE-OFL.txt,
#                                              THIRD-PARTY-LICENSES.txt)
# The exe is self-contained (profiles, sample and font are embedded) and carries its icon and
# version information (build.rs). Installs what it needs if missing: the MinGW-w64 toolchain,
# bsdtar (libarchive-tools), python3 and the Rust target. Honours CARGO_TARGET_DIR.
# THIRD-PARTY-LICENSES.txt (scripts/third_party_licenses.py): the crates linked into the exe with
# their licence texts, and the notice of the MinGW-w64 runtime start-up code linked in too.
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-pc-windows-gnu

. scripts/lib.sh
apt_install gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 libarchive-tools
command -v python3 >/dev/null 2>&1 || apt_install python3
rust_target "$target"

start=$(date +%s)
cargo build --release --locked --target "$target" --bin zipin
echo "cross build: $(( $(date +%s) - start )) s"

target_dir=${CARGO_TARGET_DIR:-target}
exe="$target_dir/$target/release/zipin.exe"
version=$(cargo pkgid | sed 's/.*[#@]//')
name="zipin-$version-windows-x86_64"

stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
x86_64-w64-mingw32-strip -o "$stage/zipin.exe" "$exe"
# Plain-text files for Notepad: UTF-8 with a byte-order mark, CRLF line ends.
as_txt() { printf '\xef\xbb\xbf'; sed -e "s/{version}/$version/g" -e 's/$/\r/' "$1"; }
as_txt packaging/windows/使用说明.txt > "$stage/使用说明.txt"
as_txt LICENSE > "$stage/LICENSE.txt"
as_txt assets/fonts/LICENSE-OFL.txt > "$stage/LICENSE-OFL.txt"
python3 scripts/third_party_licenses.py "$target" "$stage/third-party.txt" \
    "the MinGW-w64 runtime start-up code (mingw-w64-crt)" /usr/share/doc/mingw-w64-x86-64-dev/copyright
as_txt "$stage/third-party.txt" > "$stage/THIRD-PARTY-LICENSES.txt"

mkdir -p dist
out="$PWD/dist/$name.zip"
rm -f "$out"
# bsdtar, not Info-ZIP zip: it marks UTF-8 file names with the language-encoding flag (bit 11),
# which Windows' own unzip, 7-Zip and WinRAR need to show 使用说明.txt rather than mojibake.
(cd "$stage" && bsdtar --format zip --options zip:hdrcharset=UTF-8 -cf "$out" \
    zipin.exe 使用说明.txt LICENSE.txt LICENSE-OFL.txt THIRD-PARTY-LICENSES.txt)
ls -l "$out" | awk '{print $5, $9}'
