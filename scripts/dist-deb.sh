#!/usr/bin/env bash
# Builds the Debian/UOS/Kylin package dist/zipin_<version>_amd64.deb from a staged tree with
# plain dpkg-deb (no cargo-deb):
#   /usr/bin/zipin                                   the app and CLI (profiles, sample, font embedded)
#   /usr/share/applications/zipin.desktop            绩效自评, opens drafts (Exec=zipin open %f)
#   /usr/share/icons/hicolor/{48x48,256x256}/apps/zipin.png, scalable/apps/zipin.svg
#   /usr/share/mime/packages/zipin.xml               application/x-zipin-draft (see the file)
#   /usr/share/doc/zipin/                            copyright, LICENSE-OFL.txt (the font),
#                                                    THIRD-PARTY-LICENSES.txt (the crates linked in)
# Checks the .desktop file with desktop-file-validate and the MIME file with
# update-mime-database. Installs desktop-file-utils and shared-mime-info if missing.
# Honours CARGO_TARGET_DIR; DEB_MAINTAINER overrides the Maintainer field.
#
# Old glibc: the binary is linked against glibc 2.28 (UOS 20 has 2.28, Kylin V10 2.31, Debian 12
# 2.36), not against this machine's glibc, by cargo-zigbuild with Zig as the linker, both from
# PyPI (pip, into a virtualenv under ~/.cache/zipin-build; python3-venv from apt if missing).
# ZIPIN_GLIBC=2.31 picks another floor; the script fails if the binary needs a newer symbol.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v desktop-file-validate >/dev/null 2>&1 || need+=(desktop-file-utils)
command -v update-mime-database >/dev/null 2>&1 || need+=(shared-mime-info)
command -v objdump >/dev/null 2>&1 || need+=(binutils)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

arch=$(dpkg --print-architecture)
[ "$arch" = amd64 ] || { echo "dist-deb.sh: builds amd64 packages only (this is $arch)" >&2; exit 1; }

# cargo-zigbuild and Zig, pinned, in a virtualenv of their own.
floor=${ZIPIN_GLIBC:-2.28}
venv="${XDG_CACHE_HOME:-$HOME/.cache}/zipin-build/zig"
zig_pkgs=(ziglang==0.17.1 cargo-zigbuild==0.24.1)
if ! "$venv/bin/cargo-zigbuild" --version >/dev/null 2>&1; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python3" -m pip install -q "${zig_pkgs[@]}"
fi
start=$(date +%s)
PATH="$venv/bin:$PATH" cargo zigbuild --release --locked --bin zipin --target "x86_64-unknown-linux-gnu.$floor"
echo "build (glibc $floor): $(( $(date +%s) - start )) s"
bin="${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release/zipin"
version=$(cargo pkgid | sed 's/.*[#@]//')
debversion=${version//-/\~}   # 1.0.0-beta.1 → 1.0.0~beta.1 (sorts before 1.0.0)

stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
root="$stage/root"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/applications" "$root/usr/share/mime/packages" \
    "$root/usr/share/doc/zipin" "$root/usr/share/icons/hicolor/48x48/apps" \
    "$root/usr/share/icons/hicolor/256x256/apps" "$root/usr/share/icons/hicolor/scalable/apps"
install -m 755 -s "$bin" "$root/usr/bin/zipin"
install -m 644 packaging/linux/zipin.desktop "$root/usr/share/applications/zipin.desktop"
install -m 644 packaging/linux/zipin-mime.xml "$root/usr/share/mime/packages/zipin.xml"
install -m 644 assets/icons/zipin-48.png "$root/usr/share/icons/hicolor/48x48/apps/zipin.png"
install -m 644 assets/icons/zipin-256.png "$root/usr/share/icons/hicolor/256x256/apps/zipin.png"
install -m 644 assets/icons/zipin.svg "$root/usr/share/icons/hicolor/scalable/apps/zipin.svg"
install -m 644 packaging/linux/copyright "$root/usr/share/doc/zipin/copyright"
install -m 644 assets/fonts/LICENSE-OFL.txt "$root/usr/share/doc/zipin/LICENSE-OFL.txt"
python3 scripts/third_party_licenses.py x86_64-unknown-linux-gnu "$root/usr/share/doc/zipin/THIRD-PARTY-LICENSES.txt"
chmod 644 "$root/usr/share/doc/zipin/THIRD-PARTY-LICENSES.txt"
install -m 755 packaging/linux/postinst packaging/linux/postrm "$root/DEBIAN/"

# Checks.
desktop-file-validate "$root/usr/share/applications/zipin.desktop"
mkdir -p "$stage/mime/packages"
cp packaging/linux/zipin-mime.xml "$stage/mime/packages/"
msgs=$(XDG_DATA_HOME="$stage" update-mime-database "$stage/mime" 2>&1) && [ -z "$msgs" ] && grep -q '^application/x-zipin-draft' "$stage/mime/types" \
    || { echo "dist-deb.sh: MIME file rejected: $msgs" >&2; exit 1; }

# Depends: the C library at the newest symbol version the binary uses, libgcc_s if linked, the
# X11 libraries winit loads at run time and libdbus, through which rfd's file dialogs reach the
# desktop portal (all dlopen'ed, so not in the binary's NEEDED list). Without a portal, rfd
# falls back to zenity.
glibc=$(objdump -T "$root/usr/bin/zipin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
[ "$(printf '%s\n' "$glibc" "$floor" | sort -V | tail -1)" = "$floor" ] \
    || { echo "dist-deb.sh: the binary needs glibc $glibc, newer than $floor" >&2; exit 1; }
echo "newest glibc symbol version: $glibc"
depends="libc6 (>= $glibc)"
objdump -p "$root/usr/bin/zipin" | grep -q 'NEEDED *libgcc_s' && depends+=", libgcc-s1"
depends+=", libx11-6, libx11-xcb1, libxcursor1, libxrandr2, libxi6, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: zipin
Version: $debversion
Architecture: $arch
Maintainer: ${DEB_MAINTAINER:-zipin maintainers <zipin@localhost>}
Installed-Size: $size
Depends: $depends
Recommends: xdg-desktop-portal-gtk | xdg-desktop-portal-backend | zenity
Section: misc
Priority: optional
Description: 绩效自评 — annual budget-performance self-evaluation forms
 Fill in, check and print the three standard forms of the annual
 budget-performance self-evaluation (绩效自评) of a Chinese budget unit:
 附件1 部门整体支出绩效评价基础数据表, 附件2 部门整体支出绩效自评表 and
 附件3 项目支出绩效自评表. Every entry is checked against the scoring rules
 as it is typed; drafts are saved as files; the forms print to PDF.
 .
 Also a command-line tool: zipin check, score, new, export, report, sample.
CONTROL

mkdir -p dist
out="dist/zipin_${debversion}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
dpkg-deb --info "$out" | sed -n '/Package:/,/Depends:/p'
ls -l "$out" | awk '{print $5, $9}'
