#!/usr/bin/env bash
# Screenshots of every screen of the window, for review and for the README.
#
#   scripts/screenshots.sh OUTDIR [DRAFT]
#
# Builds the release binary, opens DRAFT (default: the filed sample templates/examples/miluo-2023.ron)
# under a virtual X server (Xvfb) once per screen — 基础数据表, 整体支出自评表, each 项目支出自评表,
# 自评报告, 问题清单 — and saves one PNG per screen; then next year's draft (zipin rollover: carried
# cells tinted), a 满意度 questionnaire on the satisfaction row, the 打印预览 overlay and its 打印… dialog, the start page,
# the 新建 dialog, a project-only filing and suggested scores; every screen at 1280×720, 1366×768
# and 1920×1080, at 100 % and 150 % zoom. A last run uses a fontconfig configuration whose only
# font folder is empty, so no system font can be found: Chinese must still render, from the font
# embedded in the binary. Installs what it needs (apt) when missing. ZIPIN_BIN=PATH photographs
# that binary instead of building one (e.g. the .deb's, from dpkg-deb -x).
set -euo pipefail

OUT=${1:?usage: scripts/screenshots.sh OUTDIR [DRAFT]}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DRAFT=${2:-$ROOT/templates/examples/miluo-2023.ron}
SIZE=${SCREEN_SIZE:-1600x1000}
# Xvfb has no window manager, so "maximized" means nothing there: the window is given the size a
# maximized window has on such a screen (a 40 px panel and a 30 px title bar taken off its height).
WINDOW=${WINDOW_SIZE:-${SIZE%x*}x$(( ${SIZE#*x} - 70 ))}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

. "$ROOT/scripts/lib.sh"
apt_install xvfb imagemagick xdotool x11-utils fontconfig \
  libxkbcommon-x11-0 libx11-xcb1 libxcursor1 libxi6 libxrandr2 libgl1

cd "$ROOT"
if [ -n "${ZIPIN_BIN:-}" ]; then   # another build, e.g. the .deb's binary: ZIPIN_BIN=path/zipin
  BIN=$(realpath "$ZIPIN_BIN")
else
  cargo build --release --quiet
  BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/zipin
fi
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }

xvfb_start "$SIZE"
APP=
cleanup() {
  [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
  xvfb_stop
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
}
trap cleanup EXIT

WORK=$(mktemp -d)
# Open a copy: the window keeps a lock file beside the draft it edits, and a killed window leaves
# it behind; never in the repository.
cp "$DRAFT" "$WORK/draft.ron"
DRAFT=$WORK/draft.ron
# Each run gets an empty data folder: no recent files, no autosave to offer.
shot() { # shot NAME SCREEN [env…]
  local name=$1 screen=$2; shift 2
  rm -rf "$WORK/data"
  if [ -n "${ZOOM:-}" ]; then mkdir -p "$WORK/data" && echo "zoom=$ZOOM" >"$WORK/data/settings.txt"; fi
  if [ -n "${NOFILE:-}" ]; then # no file: the start page
    env ZIPIN_DATA_DIR="$WORK/data" ZIPIN_WINDOW_SIZE="$WINDOW" "$@" "$BIN" >"$WORK/$name.log" 2>&1 &
  else
    env ZIPIN_DATA_DIR="$WORK/data" ZIPIN_WINDOW_SIZE="$WINDOW" "$@" "$BIN" open "${SRC:-$DRAFT}" --screen "$screen" >"$WORK/$name.log" 2>&1 &
  fi
  APP=$!
  for _ in $(seq 100); do
    find_win >/dev/null && break
    sleep 0.1
  done
  # Wait until something is painted (the first start loads fonts), then let it settle.
  for _ in $(seq 60); do
    import -window root "$WORK/probe.png"
    [ "$(identify -format %k "$WORK/probe.png")" -gt 50 ] && break
    sleep 0.5
  done
  xdotool mousemove 0 0   # no tooltip under a stray pointer
  if [ -n "${KEYS:-}" ]; then # keys to press first (KEYS=ctrl+p: the print preview)
    local w; w=$(find_win)
    xdotool windowfocus "$w" 2>/dev/null || true
    xdotool key --window "$w" $KEYS
    # Results of background work (the printer list) show at the window's next event under Xvfb:
    # nudge the pointer over the window's corner and away.
    sleep 1
    xdotool mousemove --window "$w" 2 2 sleep 0.3 mousemove 0 0
  fi
  sleep "${SETTLE:-1.5}"
  import -window root "$OUT/$name.png"
  kill "$APP" 2>/dev/null || true
  wait "$APP" 2>/dev/null || true
  APP=
  echo "$OUT/$name.png"
}

shot 1-basic basic
shot 2-department department
projects=$("$BIN" score "$DRAFT" | grep -c '^附件3' || true)
for p in $(seq 1 "${projects:-1}"); do
  shot "3-project-$p" "project:$p"
done
shot 4-report report
shot 5-problems problems

# Next year's draft: carried cells tinted until confirmed.
"$BIN" rollover "$DRAFT" -o "$WORK/next.ron" >/dev/null
SRC=$WORK/next.ron shot 6-rollover-basic basic
SRC=$WORK/next.ron shot 6-rollover-department department
KEYS=ctrl+p shot 8-print-preview department
# Ctrl+P again in the preview: the 打印… dialog (the printers of the machine's CUPS, if any).
KEYS="ctrl+p ctrl+p" shot 8-print-dialog department
# The start page (no file given) and the 新建 dialog (Ctrl+N).
NOFILE=1 shot 10-start-page basic
# The blank draft behind it after 附件1 was left (Esc, Ctrl+PageDown): 附件1's blank cells now
# count, 附件2's are still 未填.
NOFILE=1 KEYS="Escape ctrl+Next" shot 10-fresh-draft-after-basic basic
KEYS=ctrl+n shot 11-new-dialog basic
KEYS=ctrl+e shot 11-export-picker basic
# A project-only filing (draft schema v3): no 附件1/2 steps, the project's verdict in the status bar.
cp "$ROOT/tests/fixtures/draft-v3.ron" "$WORK/project-only.ron"
SRC=$WORK/project-only.ron shot 12-project-only project:1
# Qualitative rows whose actual reads as the target, scores blank: suggested full marks.
perl -0pe 's/score: Some\("[0-9.]+"\),(\s*)level: Some\("达成"\),/score: None,$1level: None,/g' "$WORK/project-only.ron" >"$WORK/suggested.ron"
SRC=$WORK/suggested.ron shot 13-suggested-scores project:1
# A questionnaire on 附件2's satisfaction row (the hand case: 40 answers, 33/5/2).
sed '0,/name: "服务对象满意度", target: "≥95%", actual: "", weight: Some(10), stated_score: Some(9))/s//name: "服务对象满意度", target: "≥95%", actual: "", weight: Some(10), satisfaction: Some((respondents: 40, counts: [("非常满意", 33), ("满意", 5), ("基本满意", 2)])))/' \
  "$DRAFT" >"$WORK/questionnaire.ron"
grep -q 'respondents: 40' "$WORK/questionnaire.ron" || { echo "questionnaire draft not made" >&2; exit 1; }

# Office screens: every screen at 1280×720, 1366×768 and 1920×1080, at 100 % and at 150 % zoom
# (the window as large as a maximized one there). RESOLUTIONS="" skips them.
for res in ${RESOLUTIONS-1280x720 1366x768 1920x1080}; do
  xvfb_start "$res"
  WINDOW=${res%x*}x$(( ${res#*x} - 70 ))
  for zoom in 100 150; do
    for screen in basic department project:1 report problems; do
      ZOOM=$zoom shot "r-$res-$zoom-${screen/:/}" "$screen"
    done
    ZOOM=$zoom KEYS=ctrl+p shot "r-$res-$zoom-preview" department
  done
done
xvfb_start "$SIZE"
WINDOW=${WINDOW_SIZE:-${SIZE%x*}x$(( ${SIZE#*x} - 70 ))}

# The same screens at full length (a tall window), to review every row of a form at once.
if [ -z "${NO_FULL:-}" ]; then
  xvfb_start "1600x${FULL_HEIGHT:-3000}"
  full="ZIPIN_WINDOW_SIZE=1600x${FULL_HEIGHT:-3000}"
  shot 1-basic-full basic "$full"
  shot 2-department-full department "$full"
  shot 3-project-1-full project:1 "$full"
  shot 4-report-full report "$full"
  SRC=$WORK/questionnaire.ron shot 7-questionnaire-full department "$full"
  xvfb_start "$SIZE"
fi

# No system fonts: fontconfig's only folder is empty (a config without any <dir> would make the
# font loader fall back to /usr/share/fonts).
mkdir -p "$WORK/nofonts" "$WORK/fccache"
cat >"$WORK/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>$WORK/nofonts</dir>
  <cachedir>$WORK/fccache</cachedir>
</fontconfig>
EOF
echo "system fonts visible with that config: $(FONTCONFIG_FILE=$WORK/fonts.conf fc-list | wc -l)"
shot 9-department-no-system-fonts department FONTCONFIG_FILE="$WORK/fonts.conf" HOME="$WORK"
