#!/usr/bin/env bash
# The Windows build, tested under wine: cross-builds the distributed zip (scripts/dist-windows.sh),
# unpacks zipin.exe into an empty folder and checks that it gives the same results as the Linux
# binary: check (JSON and text) and score on the filed sample, the embedded sample written by
# `zipin.exe sample -o`, a file name in Chinese, new, and export (the two PDFs compared through
# pdftotext, the two spreadsheets part by part, the two Word documents part by part). Exits non-zero on any difference. CI runs it after
# scripts/test.sh (.ci/run).
#
# Wine is only a test harness: Debian's wine 8 lacks bcryptprimitives.dll (ProcessPrng, which
# Rust's std imports), so a stand-in built from tests/wine/ is put beside the exe in the test
# folder. It is never part of dist/.
#
# Self-installing (apt: gcc-mingw-w64-x86-64, wine64, jq, poppler-utils) and idempotent; uses a
# throw-away WINEPREFIX, no display. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
lap() { echo "test-windows: $1 ($(( $(date +%s) - t0 )) s)"; }

. scripts/lib.sh
apt_install gcc-mingw-w64-x86-64 wine64 jq poppler-utils unzip imagemagick
WINE=$(wine_bin)

# The Windows package, and the Linux binary as the reference.
bash scripts/dist-windows.sh
lap "Windows build"
# The binary `cargo test --release` builds for the CLI tests: after scripts/test.sh (as in CI) this
# is a no-op, where `cargo build --release` would rebuild much of the tree (the tests' dev-dependencies
# change the features of shared crates).
cargo test --release --locked --no-run
linux=$(realpath "${CARGO_TARGET_DIR:-target}/release/zipin")
lap "Linux build"
version=$(cargo pkgid | sed 's/.*[#@]//')
zip="$PWD/dist/zipin-$version-windows-x86_64.zip"

work=$(mktemp -d)
cleanup() {
    local ws; ws=$(command -v wineserver || echo /usr/lib/wine/wineserver)
    WINEPREFIX="$work/prefix" "$ws" -k >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/app" "$work/linux" "$work/prefix"
unzip -q "$zip" -d "$work/app"
for f in zipin.exe 使用说明.txt LICENSE.txt LICENSE-OFL.txt THIRD-PARTY-LICENSES.txt; do
    [ -s "$work/app/$f" ] || { echo "test-windows: the zip lacks $f" >&2; unzip -l "$zip" >&2; exit 1; }
done
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$work/app/bcryptprimitives.dll" \
    tests/wine/bcryptprimitives.c tests/wine/bcryptprimitives.def -ladvapi32

export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64
# Wine converts arguments and file names with the Unix locale's code page: UTF-8 for 示例.ron.
export LC_ALL=C.UTF-8
# No Mono/Gecko installers (they would ask for a download), no display needed for the CLI.
export WINEDLLOVERRIDES="mscoree=;mshtml=;winemenubuilder.exe="
unset DISPLAY WAYLAND_DISPLAY
# Keep the user profiles folder out of both runs.
export ZIPIN_PROFILE_DIR="$work/no-profiles"

# Runs "$@" under wine in the app folder; stdout to $1's file, exit code kept in $rc.
win() { local out=$1; shift; (cd "$work/app" && "$WINE" zipin.exe "$@" >"$out" 2>"$out.err") && rc=0 || rc=$?; }
lin() { local out=$1; shift; (cd "$work/linux" && "$linux" "$@" >"$out" 2>"$out.err") && rc=0 || rc=$?; }

"$WINE" wineboot -i >/dev/null 2>&1 || true
lap "wine prefix"
fails=0 passes=0
pass() { echo "same: $1"; passes=$((passes + 1)); }
same() { # name, file a, file b, how (json|text)
    if [ "$4" = json ]; then
        # Same findings, path separators aside.
        norm='walk(if type == "string" then gsub("\\\\"; "/") else . end)'
        if ! diff <(jq -S "$norm" "$2") <(jq -S "$norm" "$3") >"$work/diff"; then
            echo "DIFFERENT: $1"; head -40 "$work/diff"; fails=$((fails + 1)); return
        fi
    elif ! diff <(tr -d '\r' <"$2") <(tr -d '\r' <"$3") >"$work/diff"; then
        echo "DIFFERENT: $1"; head -40 "$work/diff"; fails=$((fails + 1)); return
    fi
    pass "$1"
}
compare() { # name, expected exit code, how, args…
    local name=$1 code=$2 how=$3; shift 3
    win "$work/w.out" "$@"; local wrc=$rc
    lin "$work/l.out" "$@"; local lrc=$rc
    if [ "$wrc" != "$lrc" ] || [ "$lrc" != "$code" ]; then
        echo "DIFFERENT: $name: exit code Windows $wrc, Linux $lrc, expected $code"
        cat "$work/w.out.err"; fails=$((fails + 1)); return
    fi
    [ -s "$work/l.out" ] || { echo "EMPTY: $name"; fails=$((fails + 1)); return; }
    same "$name" "$work/w.out" "$work/l.out" "$how"
}

cp templates/examples/miluo-2023.ron "$work/app/miluo-2023.ron"
cp templates/examples/miluo-2023.ron "$work/linux/miluo-2023.ron"
compare "check --format json (filed sample)" 1 json check miluo-2023.ron --format json
lap "first wine run"
compare "check (text)" 1 text check miluo-2023.ron
compare "score" 0 text score miluo-2023.ron
compare "score --profile national-2020" 0 text score miluo-2023.ron --profile national-2020

# The exe alone in its folder: the embedded sample, then a Chinese file name.
win "$work/w.out" sample -o 示例.ron
[ "$rc" = 0 ] && [ -f "$work/app/示例.ron" ] || { echo "FAILED: zipin.exe sample -o 示例.ron ($rc)"; cat "$work/w.out.err"; fails=$((fails + 1)); }
cp "$work/app/示例.ron" "$work/linux/示例.ron" 2>/dev/null || true
compare "check --format json (sample written by zipin.exe, Chinese file name)" 1 json check 示例.ron --format json
compare "new --profile national-2020" 0 text new --year 2024 --unit 某县财政局 --profile national-2020 -o 新建.ron
# RON's pretty printer ends lines with CRLF on Windows; both load on either system.
if ! diff <(tr -d '\r' <"$work/app/新建.ron" | grep -v '^  saved_at:') \
          <(grep -v '^  saved_at:' "$work/linux/新建.ron") >"$work/diff"; then
    echo "DIFFERENT: new draft (ignoring saved_at and CR)"; head -20 "$work/diff"; fails=$((fails + 1))
else
    pass "new draft (ignoring saved_at and CR)"
fi
# And the other way: a draft written on Linux, checked by both.
lin "$work/l.out" sample -o 来自linux.ron
cp "$work/linux/来自linux.ron" "$work/app/"
compare "check --format json (draft written by the Linux binary)" 1 json check 来自linux.ron --format json

# Export with both binaries; false (and counted) unless both succeed alike with a file.
export_both() { # OUT
    win "$work/w.out" export miluo-2023.ron -o "$1"; local wrc=$rc
    lin "$work/l.out" export miluo-2023.ron -o "$1"; local lrc=$rc
    [ "$wrc" = 0 ] && [ "$lrc" = 0 ] && [ -s "$work/app/$1" ] && [ -s "$work/linux/$1" ] && return 0
    echo "DIFFERENT: export $1: exit code Windows $wrc, Linux $lrc"; cat "$work/w.out.err"; fails=$((fails + 1))
    return 1
}
if export_both out.pdf; then
    pdftotext -layout "$work/app/out.pdf" "$work/w.txt"
    pdftotext -layout "$work/linux/out.pdf" "$work/l.txt"
    [ -s "$work/l.txt" ] || { echo "EMPTY: export text"; fails=$((fails + 1)); }
    same "export (pdftotext)" "$work/w.txt" "$work/l.txt" text
fi
# The spreadsheet: every part but docProps/core.xml (its creation time).
if export_both out.xlsx; then
    mkdir -p "$work/xw" "$work/xl"
    unzip -q -o "$work/app/out.xlsx" -d "$work/xw"
    unzip -q -o "$work/linux/out.xlsx" -d "$work/xl"
    rm -f "$work/xw/docProps/core.xml" "$work/xl/docProps/core.xml"
    if [ ! -s "$work/xl/[Content_Types].xml" ] || ! diff -r "$work/xw" "$work/xl" >"$work/diff"; then
        echo "DIFFERENT: export xlsx"; head -20 "$work/diff"; fails=$((fails + 1))
    else
        pass "export xlsx ($(find "$work/xl" -type f | wc -l) parts)"
    fi
fi
# Printing through the Windows spooler: zipin.exe printers must run and exit 0 (a machine without
# printers says so). Wine's spooler lists the CUPS queues when a CUPS server runs (scripts/test.sh
# starts one with the cups-pdf queue zipin-pdf); then the sample is printed through GDI (wine turns
# the drawing into PostScript for CUPS) and cups-pdf's file must have the export's pages.
win "$work/w.out" printers
if [ "$rc" = 0 ] && [ -s "$work/w.out" ]; then
    pass "zipin.exe printers: $(tr -d '\r' <"$work/w.out" | tr '\n' ' ')"
else
    echo "FAILED: zipin.exe printers (exit $rc)"; cat "$work/w.out" "$work/w.out.err"; fails=$((fails + 1))
fi
cups_dir=${ZIPIN_CUPS_PDF_DIR:-/var/spool/zipin-cups-pdf}
if [ "$rc" = 0 ] && tr -d '\r' <"$work/w.out" | grep -q '^. zipin-pdf$' && [ -d "$cups_dir" ]; then
    stamp="$work/before-print"; touch "$stamp"; sleep 1
    win "$work/w.out" print miluo-2023.ron --printer zipin-pdf
    # The job's PDF: new since the stamp, readable, its size holding still (cups-pdf replaces a
    # file of the same name, so it can vanish for a moment).
    printed=
    for _ in $(seq 120); do
        printed=$(find "$cups_dir" -name '*.pdf' -newer "$stamp" 2>/dev/null | head -1 || true)
        if [ -n "$printed" ] && pdfinfo "$printed" >/dev/null 2>&1; then
            size=$(stat -c %s "$printed" 2>/dev/null || true)
            sleep 1
            [ "$size" = "$(stat -c %s "$printed" 2>/dev/null || true)" ] && break
        fi
        sleep 0.5
    done
    want=$(pdfinfo "$work/linux/out.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }' || true)
    got=$( { [ -n "$printed" ] && pdfinfo "$printed" 2>/dev/null | awk '/^Pages:/ { print $2 }'; } || true)
    # Each page as a 40-dpi grey picture, compared with the export's: RMSE (same page ≈ 0.05–0.14
    # here, another page ≈ 0.3) and ink (GDI's integer pen widths and filled glyph outlines come
    # out 10–20 % darker; a page without its text has 30–50 % less).
    pictures_ok=0
    if [ -n "$got" ] && [ "$got" = "$want" ]; then
        pdftoppm -r 40 -gray "$work/linux/out.pdf" "$work/pe" 2>/dev/null
        pdftoppm -r 40 -gray "$printed" "$work/pw" 2>/dev/null
        for e in "$work"/pe-*.pgm; do
            w="$work/pw-${e##*/pe-}"
            rmse=$(command compare -metric RMSE "$e" "$w" null: 2>&1 | sed 's/.*(\(.*\)).*/\1/' || true)
            ink_e=$(convert "$e" -format '%[fx:1-mean]' info:)
            ink_w=$(convert "$w" -format '%[fx:1-mean]' info:)
            echo "  printed ${e##*/pe-}: RMSE $rmse, ink $ink_w (export $ink_e)"
            awk -v r="$rmse" -v a="$ink_e" -v b="$ink_w" 'BEGIN { exit !(r < 0.17 && b > 0.85 * a && b < 1.3 * a) }' \
                || pictures_ok=1
        done
    fi
    if [ "$rc" = 0 ] && [ -n "$want" ] && [ "$got" = "$want" ] && [ "$pictures_ok" = 0 ]; then
        pass "zipin.exe print through GDI to CUPS (cups-pdf): $got pages, each close to the exported page"
    else
        echo "FAILED: zipin.exe print to zipin-pdf: exit $rc, $got pages arrived, $want exported"
        cat "$work/w.out" "$work/w.out.err"; fails=$((fails + 1))
    fi
else
    echo "test-windows: no CUPS queue zipin-pdf seen by wine: printing through GDI not tried"
fi
# The Word document: every part the same, docProps/core.xml's times too (SOURCE_DATE_EPOCH); the
# archive itself is compared byte for byte and its header differences, if any, are listed.
export SOURCE_DATE_EPOCH=1700000000
if export_both out.docx; then
    mkdir -p "$work/dw" "$work/dl"
    unzip -q -o "$work/app/out.docx" -d "$work/dw"
    unzip -q -o "$work/linux/out.docx" -d "$work/dl"
    if [ ! -s "$work/dl/word/document.xml" ] || ! diff -r "$work/dw" "$work/dl" >"$work/diff"; then
        echo "DIFFERENT: export docx"; head -20 "$work/diff"; fails=$((fails + 1))
    elif cmp -s "$work/app/out.docx" "$work/linux/out.docx"; then
        pass "export docx (same bytes: $(stat -c %s "$work/linux/out.docx") bytes)"
    else
        diff <(zipinfo -v "$work/app/out.docx" | grep -v '^Archive:') <(zipinfo -v "$work/linux/out.docx" | grep -v '^Archive:') \
            | grep '^[<>]' | sort | uniq -c | sort -rn | head -6 >"$work/diff" || true
        pass "export docx ($(find "$work/dl" -type f | wc -l) parts the same; the zip entry headers differ:)"
        cat "$work/diff"
    fi
fi
unset SOURCE_DATE_EPOCH
lap "done"
if [ "$fails" -gt 0 ]; then
    echo "test-windows: FAILED: the Windows build differs from the Linux build (see DIFFERENT above)" >&2
    echo "test-windows: $passes passed, $fails failed"
    exit 1
fi
echo "test-windows: Windows and Linux binaries agree"
echo "test-windows: $passes passed, $fails failed"
