#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs the tools the tests call, then
# `cargo test --release`:
#   poppler-utils   pdftotext, to read the exported PDF back (tests/pdf.rs);
#   xvfb, xdotool   a virtual X server and synthetic key presses, to drive the real window in
#                   the end-to-end autosave test (tests/autosave.rs), with the X libraries it loads;
#   e2fsprogs       chattr, for the permission-denied save test when running as root.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
apt_install poppler-utils xvfb xdotool e2fsprogs \
    libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon0 libxkbcommon-x11-0
# The X-driven test fails, rather than skips, when its tools are missing.
export ZIPIN_REQUIRE_X=1
cargo test --release "$@"
