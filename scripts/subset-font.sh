#!/usr/bin/env bash
# Build assets/fonts/ZipinSans-Regular.otf: Noto Sans CJK SC Regular subset to
# the GBK repertoire (plus form symbols), renamed "Zipin Sans".
# Needs: Debian/Ubuntu fonts-noto-cjk, python3 with fontTools (installed if missing).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${NOTO_CJK_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
OUT="$ROOT/assets/fonts/ZipinSans-Regular.otf"
PYTHON="${PYTHON:-python3}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ ! -f "$SRC" ]; then
    echo "Installing fonts-noto-cjk..." >&2
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk
fi

if ! "$PYTHON" -c 'import fontTools' 2>/dev/null; then
    echo "Installing fonttools..." >&2
    "$PYTHON" -m pip install fonttools
fi

mkdir -p "$(dirname "$OUT")"
TMP="$OUT.tmp"
trap 'rm -f "$TMP"' EXIT
"$PYTHON" "$ROOT/scripts/subset_font.py" "$SRC" "$TMP"
mv "$TMP" "$OUT"
ls -l "$OUT"
sha256sum "$OUT"
