#!/usr/bin/env bash
# 问题清单 with 5,000 findings, measured in the real window under Xvfb:
#
#   scripts/measure-problems.sh [ZIPIN_BINARY]
#
# The workbook: next year's draft (zipin rollover) of `zipin gen --projects 120`, 5,086 findings.
# Figures, in CPU time of the window's process (utime + stime from /proc, so another build on
# the same cores does not count against it):
#   first frame  the CPU to start the window on 问题清单 until it is idle, less the CPU to start it
#                on 附件1 (the same file read and checked, the same fonts loaded): what the list costs;
#   wheel step   the CPU per wheel step over the list (40 steps at 150 ms, as a hand turns a wheel).
# Each figure is the median of RUNS (default 5). Linux only (reads /proc).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
apt_install xvfb xdotool x11-utils libxkbcommon-x11-0 libx11-xcb1 libxcursor1 libxi6 libxrandr2
if [ -n "${1:-}" ]; then
  BIN=$(realpath "$1")
else
  (cd "$ROOT" && cargo build --release --quiet)
  BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/zipin
fi
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
APP=
cleanup() { [ -n "$APP" ] && kill "$APP" 2>/dev/null; xvfb_stop; rm -rf "$WORK"; }
trap cleanup EXIT
"$BIN" gen --projects 120 -o "$WORK/g.ron" >/dev/null
"$BIN" rollover "$WORK/g.ron" -o "$WORK/next.ron" >/dev/null
echo "findings: $("$BIN" check "$WORK/next.ron" --format json | grep -o '"rule"' | wc -l)"
xvfb_start 1600x1000
TICK=$(getconf CLK_TCK)

cpu_ms() { # CPU time of process $1 so far, in ms
  awk -v t="$TICK" '{ print ($14 + $15) * 1000 / t }' "/proc/$1/stat"
}
idle() { # waits until process $1 used no CPU for 1 s
  local a b
  a=$(cpu_ms "$1")
  while sleep 1; b=$(cpu_ms "$1"); [ "$a" != "$b" ]; do a=$b; done
}
start() { # start SCREEN: opens the window (pid in APP), waits until idle; its CPU ms in CPU
  cp "$WORK/next.ron" "$WORK/d.ron"
  rm -rf "$WORK/data"
  ZIPIN_DATA_DIR="$WORK/data" ZIPIN_WINDOW_SIZE=1600x930 "$BIN" open "$WORK/d.ron" --screen "$1" >/dev/null 2>&1 &
  APP=$!
  for _ in $(seq 200); do find_win >/dev/null && break; sleep 0.1; done
  sleep 2
  idle "$APP"
  CPU=$(cpu_ms "$APP")
}
stop() { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; APP=; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

first=() wheel=()
for _ in $(seq "$RUNS"); do
  start basic; base=$CPU; stop
  start problems; list=$CPU
  first+=("$(awk -v a="$list" -v b="$base" 'BEGIN { print a - b }')")
  w=$(find_win)
  xdotool mousemove --window "$w" 800 600
  sleep 0.5
  before=$(cpu_ms "$APP")
  xdotool click --repeat 40 --delay 150 5
  sleep 0.5
  idle "$APP"
  after=$(cpu_ms "$APP")
  wheel+=("$(awk -v a="$after" -v b="$before" 'BEGIN { print (a - b) / 40 }')")
  stop
done
echo "first frame of 问题清单 (CPU ms, start on it less start on 附件1): ${first[*]} → median $(printf '%s\n' "${first[@]}" | median)"
echo "CPU ms per wheel step: ${wheel[*]} → median $(printf '%s\n' "${wheel[@]}" | median)"
