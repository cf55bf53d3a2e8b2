#!/usr/bin/env bash
# Opens the app with the filed sample on a fresh Debian machine: installs the X libraries a bare
# Debian lacks (a desktop Debian/UOS/Kylin already has them), builds, runs.
set -euo pipefail
cd "$(dirname "$0")/.."
libs=(libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon0 libxkbcommon-x11-0)
missing=()
for p in "${libs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
cargo run --release -- open templates/examples/miluo-2023.ron "$@"
