#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs the tools the tests call, then
# `cargo test --release`:
#   poppler-utils   pdftotext, to read the exported PDF back (tests/pdf.rs);
#   xvfb, xdotool   a virtual X server and synthetic key presses, to drive the real window
#                   (tests/autosave.rs, tests/real_input.rs), with the X libraries it loads;
#   x11-utils       xprop, xwininfo (window class, the input method's server and window);
#   imagemagick     import, screenshots of the input method's candidate window;
#   dbus, fcitx5, fcitx5-pinyin
#                   a D-Bus session and a real Chinese input method (pinyin over XIM) that
#                   tests/real_input.rs types through (without recommends: no desktop portal);
#   e2fsprogs       chattr, for the permission-denied save test when running as root;
#   cups, printer-driver-cups-pdf
#                   a real CUPS scheduler with a PDF printer (queue zipin-pdf, see cups_start in
#                   scripts/lib.sh) that tests/print.rs prints to, comparing what arrives with the
#                   export.
#   libreoffice-writer-nogui, fonts-noto-cjk
#                   soffice --convert-to pdf/txt, which opens the Word export (tests/docx.rs),
#                   without recommends, and a Chinese font for it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
apt_install poppler-utils xvfb xdotool x11-utils imagemagick e2fsprogs \
    libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon0 libxkbcommon-x11-0
APT_NO_RECOMMENDS=1 apt_install dbus fcitx5 fcitx5-pinyin
t_cups=$(date +%s)
apt_install cups printer-driver-cups-pdf
cups_start
echo "test.sh: CUPS and the zipin-pdf queue ready ($(( $(date +%s) - t_cups )) s)"
# The printing test fails, rather than skips, without the queue.
export ZIPIN_REQUIRE_CUPS=1
APT_NO_RECOMMENDS=1 apt_install libreoffice-writer-nogui fonts-noto-cjk
# The X-driven tests and the LibreOffice test fail, rather than skip, when their tools are missing.
export ZIPIN_REQUIRE_X=1
export ZIPIN_REQUIRE_LIBREOFFICE=1
# The real-input test three times in a row (about 70 s each): a flaky keystroke shows up here.
export ZIPIN_REAL_INPUT_RUNS=${ZIPIN_REAL_INPUT_RUNS:-3}
cargo test --release "$@"
