#!/usr/bin/env bash
# A look at the Windows build's window: runs zipin.exe from the dist zip under wine on a virtual
# X server and saves a screenshot per screen.
#
#   scripts/screenshot-windows.sh OUTDIR [DRAFT]
#
# Needs dist/zipin-<version>-windows-x86_64.zip (scripts/dist-windows.sh). Wine is a test
# harness here, as in scripts/test-windows.sh (same bcryptprimitives stand-in, throw-away
# prefix); it is not Windows: fonts, DPI and window decorations differ.
set -euo pipefail
OUT=${1:?usage: scripts/screenshot-windows.sh OUTDIR [DRAFT]}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DRAFT=${2:-$ROOT/templates/examples/miluo-2023.ron}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)

. "$ROOT/scripts/lib.sh"
apt_install gcc-mingw-w64-x86-64 wine64 xvfb imagemagick xdotool x11-utils unzip
WINE=$(wine_bin)
cd "$ROOT"
version=$(cargo pkgid | sed 's/.*[#@]//')
zip="$ROOT/dist/zipin-$version-windows-x86_64.zip"
[ -f "$zip" ] || { echo "no $zip: run scripts/dist-windows.sh first" >&2; exit 1; }

work=$(mktemp -d)
xvfb_start 1600x1000
APP=
cleanup() {
    [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
    WINEPREFIX="$work/prefix" "$(command -v wineserver || echo /usr/lib/wine/wineserver)" -k >/dev/null 2>&1 || true
    xvfb_stop
    rm -rf "$work"
}
trap cleanup EXIT
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64 LC_ALL=C.UTF-8
export WINEDLLOVERRIDES="mscoree=;mshtml=;winemenubuilder.exe="

mkdir -p "$work/app"
unzip -q "$zip" -d "$work/app"
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$work/app/bcryptprimitives.dll" \
    tests/wine/bcryptprimitives.c tests/wine/bcryptprimitives.def -ladvapi32
cp "$DRAFT" "$work/app/draft.ron"
"$WINE" wineboot -i >/dev/null 2>&1 || true

shot() { # NAME SCREEN
    (cd "$work/app" && exec env ZIPIN_DATA_DIR='C:\zipin-data' "$WINE" zipin.exe open draft.ron --screen "$2") \
        >"$work/$1.log" 2>&1 &
    APP=$!
    local found=
    for _ in $(seq 300); do find_win >/dev/null && { found=1; break; }; sleep 0.1; done
    [ -n "$found" ] || { echo "no window for $1 (log: $(tail -3 "$work/$1.log"))" >&2; return 1; }
    sleep "${SETTLE:-4}"
    import -window root "$OUT/$1.png"
    kill "$APP" 2>/dev/null || true
    wait "$APP" 2>/dev/null || true
    "$(command -v wineserver || echo /usr/lib/wine/wineserver)" -k >/dev/null 2>&1 || true
    APP=
    echo "$OUT/$1.png"
}
shot windows-1-basic basic
shot windows-2-department department
shot windows-4-problems problems
