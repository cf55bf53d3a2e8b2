# Helpers shared by the scripts (sourced, not run): installing Debian packages, a virtual X server,
# finding the app's window.

# apt_install PKG… — installs those of the Debian packages PKG that are not installed yet
# (without the packages they recommend when APT_NO_RECOMMENDS is set).
apt_install() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ${APT_NO_RECOMMENDS:+--no-install-recommends} "${missing[@]}" >/dev/null
}

# rust_target TRIPLE — makes sure rustup has the standard library for TRIPLE (fetching it from
# static.rust-lang.org when missing); fails when it cannot.
rust_target() {
    rustup target list --installed | grep -qx "$1" || rustup target add "$1"
}

# xvfb_start WIDTHxHEIGHT — (re)starts Xvfb on a free display; sets XVFB (its pid) and exports
# DISPLAY. Stop it with xvfb_stop.
xvfb_start() {
    xvfb_stop
    local d=${XVFB_DISPLAY:-90}
    while [ -e "/tmp/.X$d-lock" ] || [ -e "/tmp/.X11-unix/X$d" ]; do d=$((d + 1)); done
    XVFB_DISPLAY=$d
    Xvfb ":$d" -screen 0 "${1}x24" -nolisten tcp >/dev/null 2>&1 &
    XVFB=$!
    export DISPLAY=":$d"
    for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
}

xvfb_stop() {
    if [ -n "${XVFB:-}" ]; then
        kill "$XVFB" 2>/dev/null || true
        wait "$XVFB" 2>/dev/null || true
        XVFB=
    fi
}

# find_win — the id of the app's window: the one whose title contains "绩效自评" (xdotool's
# --name regex does not match CJK, so titles are compared here).
find_win() {
    local w
    for w in $(xdotool search --name '.' 2>/dev/null); do
        case "$(xdotool getwindowname "$w" 2>/dev/null)" in *绩效自评*) echo "$w"; return 0 ;; esac
    done
    return 1
}

# wine_bin — the wine launcher for 64-bit programs (Debian's wine64 lives in /usr/lib/wine).
wine_bin() { command -v wine64 || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || command -v wine; }

# cups_start — a running CUPS scheduler with the PDF queue zipin-pdf (cups-pdf), for the printing
# test (tests/print.rs); idempotent. No systemd needed: cupsd is started directly when it does not
# answer. cups-pdf writes each job to $ZIPIN_CUPS_PDF_DIR (made world-writable: cups-pdf runs a
# job as the user who sent it, or as nobody). Exports ZIPIN_CUPS_PDF_DIR.
cups_start() {
    export ZIPIN_CUPS_PDF_DIR=${ZIPIN_CUPS_PDF_DIR:-/var/spool/zipin-cups-pdf}
    mkdir -p "$ZIPIN_CUPS_PDF_DIR"
    chmod 1777 "$ZIPIN_CUPS_PDF_DIR"
    local conf=/etc/cups/cups-pdf.conf
    if ! grep -qx "Out $ZIPIN_CUPS_PDF_DIR" "$conf"; then
        sed -i -e '/^Out /d' -e '/^AnonDirName /d' "$conf"
        printf 'Out %s\nAnonDirName %s\n' "$ZIPIN_CUPS_PDF_DIR" "$ZIPIN_CUPS_PDF_DIR" >>"$conf"
    fi
    if ! lpstat -r 2>/dev/null | grep -q "is running"; then
        /usr/sbin/cupsd
        local i
        for i in $(seq 100); do
            lpstat -r 2>/dev/null | grep -q "is running" && break
            sleep 0.1
        done
        lpstat -r | grep -q "is running" || { echo "cups_start: cupsd did not start" >&2; return 1; }
    fi
    if ! lpstat -p zipin-pdf >/dev/null 2>&1; then
        local ppd
        ppd=$(lpinfo -m 2>/dev/null | awk '/CUPS-PDF/ { print $1; exit }')
        [ -n "$ppd" ] || { echo "cups_start: no cups-pdf driver (lpinfo -m)" >&2; return 1; }
        # "lpadmin: Printer drivers are deprecated …" is expected.
        lpadmin -p zipin-pdf -E -v cups-pdf:/ -m "$ppd" 2>/dev/null
        lpadmin -d zipin-pdf
    fi
}
