#!/usr/bin/env bash
# Export a draft to PDF and render every page to PNG, to look at the print.
#   scripts/render-pdf.sh [DRAFT] [OUTDIR]
# DRAFT defaults to the filed sample, OUTDIR to target/pdf-render. Extra arguments for
# `zipin export` can be passed in EXPORT_ARGS (e.g. EXPORT_ARGS="--forms 3 --projects 1").
# Needs poppler-utils (pdftoppm, pdfinfo).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DRAFT="${1:-$ROOT/templates/examples/miluo-2023.ron}"
OUTDIR="${2:-$ROOT/target/pdf-render}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

cargo build --manifest-path "$ROOT/Cargo.toml" --no-default-features --quiet
mkdir -p "$OUTDIR"
rm -f "$OUTDIR"/page-*.png
PDF="$OUTDIR/$(basename "${DRAFT%.*}").pdf"
# shellcheck disable=SC2086
"$TARGET/debug/zipin" export "$DRAFT" -o "$PDF" ${EXPORT_ARGS:-} || true
[ -f "$PDF" ] || { echo "no PDF written" >&2; exit 1; }
pdfinfo "$PDF" | grep -E '^(Pages|Page size|File size)'
pdftoppm -r "${DPI:-80}" -png "$PDF" "$OUTDIR/page"
ls "$OUTDIR"/page-*.png
