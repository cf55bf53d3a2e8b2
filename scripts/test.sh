#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs the tools the tests call
# (poppler-utils for reading the exported PDF back), then `cargo test --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
cargo test --release "$@"
