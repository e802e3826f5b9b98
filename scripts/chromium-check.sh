#!/usr/bin/env bash
# chromium-check.sh: open an HTML file (minilat's report.html) in a real headless
# browser and keep what it saw, for tests to inspect.
#
# What it does
#   1. Makes sure Debian's `chromium` is on PATH. If it is missing and we are root
#      with apt-get, it INSTALLS it (apt-get update; DEBIAN_FRONTEND=noninteractive
#      apt-get install -y chromium: about 30 s, first time only). If it cannot be
#      installed (not root, no apt-get, install failed) it exits 3 with a one-line
#      reason on stderr, so a caller can report the test as skipped.
#   2. Prints chromium's version, then loads file://<absolute path of HTML_FILE> twice,
#      each time with a fresh profile (--user-data-dir=$(mktemp -d), removed after)
#      and no network side traffic (--disable-background-networking, --no-first-run,
#      --disable-component-update, --disable-sync), headless, no sandbox (root), no
#      GPU, under `timeout 60`:
#        a. --dump-dom                       -> OUT_DIR/dom.html (the DOM after load)
#        b. --screenshot --window-size=1280,2000 --hide-scrollbars
#                                            -> OUT_DIR/screenshot.png (the top
#                                               1280x2000 pixels of the page)
#      chromium's stderr (harmless dbus/GPU noise) goes to OUT_DIR/chromium-*.log and
#      is only shown when a run fails.
#   Exits 0 only if both outputs exist and are non-empty; otherwise non-zero (1; 2 for
#   bad usage) with the reason on stderr.
#
# How to run (from anywhere)
#   bash scripts/chromium-check.sh OUT/report.html CHECK_DIR
#   Each chromium run takes about 1-2 s. Used by tests/it/report.rs.
set -uo pipefail

TIMEOUT=60
WINDOW=1280,2000

die() { echo "chromium-check: $*" >&2; exit 1; }
ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }  # wall clock in ms
skip() { echo "chromium-check: SKIP: $*" >&2; exit 3; }

if [[ $# -ne 2 ]]; then
    echo "usage: $0 HTML_FILE OUT_DIR" >&2
    exit 2
fi
html=$1
out=$2
[[ -f $html ]] || die "no such file: $html"
html=$(realpath "$html") || die "cannot resolve $html"
mkdir -p "$out" || die "cannot create $out"
out=$(realpath "$out")

# 1. chromium, installed if need be.
if ! command -v chromium >/dev/null 2>&1; then
    if [[ $(id -u) != 0 ]]; then
        skip "chromium is not installed and we are not root (cannot apt-get install it)"
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        skip "chromium is not installed and apt-get is not available"
    fi
    # Tests may call this script in parallel: one install at a time, and apt waits for
    # dpkg's lock if another apt-get (another test, another session) holds it.
    if command -v flock >/dev/null 2>&1; then
        exec 9>"${TMPDIR:-/tmp}/minilat-chromium-install.lock"
        flock -w 600 9 || skip "timed out waiting for another chromium install"
    fi
    if ! command -v chromium >/dev/null 2>&1; then
        echo "chromium-check: installing chromium (apt-get, about 30 s)..."
        start=$SECONDS
        log=$(mktemp)
        ok=0
        for attempt in 1 2; do
            if { apt-get -o DPkg::Lock::Timeout=120 update &&
                DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 \
                    install -y chromium; } >"$log" 2>&1; then
                ok=1
                break
            fi
            [[ $attempt -lt 2 ]] && sleep 10
        done
        if [[ $ok -ne 1 ]]; then
            reason=$(grep -E '^E:' "$log" | tail -n 1)
            [[ -n $reason ]] || reason=$(grep -E '^W:' "$log" | head -n 1)
            rm -f "$log"
            skip "apt-get could not install chromium${reason:+: $reason}"
        fi
        rm -f "$log"
        echo "chromium-check: installed chromium in $((SECONDS - start)) s"
    fi
    exec 9>&-
    command -v chromium >/dev/null 2>&1 || skip "apt-get succeeded but chromium is not on PATH"
fi
version=$(timeout 20 chromium --version 2>/dev/null | head -n 1)
echo "chromium-check: ${version:-chromium (version unknown)}"

# 2. Two runs, each with a fresh profile.
url="file://$html"
# run NAME STDOUT_FILE ARGS...: one headless chromium run; stderr to OUT_DIR/chromium-NAME.log.
run() {
    local name=$1 stdout=$2
    shift 2
    local profile start status
    profile=$(mktemp -d) || die "mktemp failed"
    start=$(ms)
    timeout -k 5 "$TIMEOUT" chromium --headless --no-sandbox --disable-gpu \
        --disable-background-networking --no-first-run --disable-component-update \
        --disable-sync --user-data-dir="$profile" "$@" "$url" \
        >"$stdout" 2>"$out/chromium-$name.log" </dev/null
    status=$?
    local took=$(($(ms) - start))
    printf 'chromium-check: %s: exit %d in %d.%01d s\n' "$name" "$status" \
        $((took / 1000)) $((took % 1000 / 100))
    # Its child processes can linger a few seconds and still write to the profile.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        rm -rf "$profile" 2>/dev/null && [[ ! -e $profile ]] && break
        sleep 0.5
    done
    if [[ $status -eq 124 || $status -eq 137 ]]; then
        die "$name: chromium timed out after $TIMEOUT s"
    fi
    if [[ $status -ne 0 ]]; then
        tail -n 5 "$out/chromium-$name.log" >&2
        die "$name: chromium exited with $status"
    fi
}

rm -f "$out/dom.html" "$out/screenshot.png"
run dom "$out/dom.html" --dump-dom
run screenshot /dev/null --screenshot="$out/screenshot.png" --window-size="$WINDOW" \
    --hide-scrollbars

[[ -s $out/dom.html ]] || die "dom.html is missing or empty"
[[ -s $out/screenshot.png ]] || die "screenshot.png is missing or empty"
echo "chromium-check: OK: $out/dom.html ($(wc -c <"$out/dom.html") bytes)," \
    "$out/screenshot.png ($(wc -c <"$out/screenshot.png") bytes)"
