#!/usr/bin/env bash
# Renders assets/icons/zipin.svg into the committed icon files:
#   zipin-48.png, zipin-256.png  (Linux hicolor theme)
#   zipin.ico                    (Windows: 16, 24, 32, 48, 64, 128 as BMP, 256 as PNG)
# Needs librsvg2-bin and icoutils (installed if missing). Run after editing the SVG.
set -euo pipefail
cd "$(dirname "$0")/../assets/icons"
need=()
command -v rsvg-convert >/dev/null 2>&1 || need+=(librsvg2-bin)
command -v icotool >/dev/null 2>&1 || need+=(icoutils)
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for s in 16 24 32 48 64 128 256; do
    rsvg-convert -w $s -h $s zipin.svg -o "$tmp/$s.png"
done
cp "$tmp/48.png" zipin-48.png
cp "$tmp/256.png" zipin-256.png
icotool -c -o zipin.ico "$tmp"/{16,24,32,48,64,128}.png --raw="$tmp/256.png"
icotool -l zipin.ico
