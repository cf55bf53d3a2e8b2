#!/usr/bin/env bash
# Peak memory (RSS) of the window with the big workbook (附件2 + 50 projects × 40 indicators).
#
#   scripts/measure-rss.sh [SCREEN]        SCREEN defaults to project:25
#
# Generates the workbook, opens it under Xvfb with /usr/bin/time -v, types into cells (Tab,
# digits, a bad number, Ctrl+Z), then ends the process and prints "Maximum resident set size".
# Needs Xvfb, xdotool, /usr/bin/time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCREEN=${1:-project:25}
cd "$ROOT"
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/zipin
WORK=$(mktemp -d)
"$BIN" gen --projects 50 --indicators 40 -o "$WORK/big.ron" >/dev/null

. "$ROOT/scripts/lib.sh"
apt_install xvfb xdotool x11-utils time
xvfb_start 1600x1000
trap 'xvfb_stop; rm -rf "$WORK"' EXIT

ZIPIN_DATA_DIR="$WORK/data" /usr/bin/time -v -o "$WORK/time.txt" "$BIN" open "$WORK/big.ron" --screen "$SCREEN" &
TIMEPID=$!
WIN=
for _ in $(seq 100); do
  WIN=$(find_win) && break
  sleep 0.1
done
sleep 3
# No window manager: give the window the keyboard focus, then type into cells (each keystroke
# re-evaluates the whole workbook).
xdotool windowfocus "$WIN"
for _ in $(seq 12); do xdotool key Tab; done
xdotool type --delay 60 "12345"
xdotool key ctrl+z
for _ in $(seq 30); do xdotool key Tab; done
xdotool type --delay 60 "9x9"
sleep 1
import -window root "${SHOT:-/dev/null}" 2>/dev/null || true
# Close: the draft is dirty, so the window asks; the process is ended instead.
APP=$(pgrep -P "$TIMEPID" || true)
[ -n "$APP" ] && kill "$APP"
wait "$TIMEPID" 2>/dev/null || true
grep -E "Maximum resident set size|Elapsed" "$WORK/time.txt"
