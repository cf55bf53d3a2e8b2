#!/usr/bin/env bash
# Opens the app with the filed sample on a fresh Debian machine: installs the X libraries a bare
# Debian lacks (a desktop Debian/UOS/Kylin already has them), builds, runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
apt_install libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon0 libxkbcommon-x11-0
cargo run --release -- open templates/examples/miluo-2023.ron "$@"
