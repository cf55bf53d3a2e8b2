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

wine_bin() { command -v wine64 || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || command -v wine; }
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
wine_bin >/dev/null 2>&1 || need+=(wine64)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v import >/dev/null 2>&1 || need+=(imagemagick)
command -v xdotool >/dev/null 2>&1 || need+=(xdotool)
command -v xdpyinfo >/dev/null 2>&1 || need+=(x11-utils)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
WINE=$(wine_bin)
cd "$ROOT"
version=$(cargo pkgid | sed 's/.*[#@]//')
zip="$ROOT/dist/zipin-$version-windows-x86_64.zip"
[ -f "$zip" ] || { echo "no $zip: run scripts/dist-windows.sh first" >&2; exit 1; }

work=$(mktemp -d)
D=90
while [ -e /tmp/.X$D-lock ] || [ -e /tmp/.X11-unix/X$D ]; do D=$((D + 1)); done
Xvfb ":$D" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
APP=
cleanup() {
    [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
    WINEPREFIX="$work/prefix" "$(command -v wineserver || echo /usr/lib/wine/wineserver)" -k >/dev/null 2>&1 || true
    kill "$XVFB" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export DISPLAY=":$D" WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64 LC_ALL=C.UTF-8
export WINEDLLOVERRIDES="mscoree=;mshtml=;winemenubuilder.exe="
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

mkdir -p "$work/app"
unzip -q "$zip" -d "$work/app"
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$work/app/bcryptprimitives.dll" \
    tests/wine/bcryptprimitives.c tests/wine/bcryptprimitives.def -ladvapi32
cp "$DRAFT" "$work/app/draft.ron"
"$WINE" wineboot -i >/dev/null 2>&1 || true

find_win() {
    local w
    for w in $(xdotool search --name '.' 2>/dev/null); do
        case "$(xdotool getwindowname "$w" 2>/dev/null)" in *绩效自评*) echo "$w"; return 0 ;; esac
    done
    return 1
}
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
