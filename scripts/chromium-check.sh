#!/usr/bin/env bash
# chromium-check.sh: open an HTML file (minilat's report.html) in a real headless
# browser and keep what it saw, for tests to inspect.
#
# What it does
#   1. Makes sure Debian's `chromium` is on PATH (and, with --pdf, poppler-utils'
#      `pdftotext`). If one is missing and we are root with apt-get, it INSTALLS it
#      (apt-get update; DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
#      [poppler-utils]: about 30 s, first time only). If it cannot be installed (not
#      root, no apt-get, install failed) it exits 3 with a one-line reason on stderr,
#      so a caller can report the test as skipped.
#   2. Prints chromium's version, then loads file://<absolute path of HTML_FILE>, each
#      time with a fresh profile (--user-data-dir=$(mktemp -d), removed after)
#      and no network side traffic (--disable-background-networking, --no-first-run,
#      --disable-component-update, --disable-sync), headless, no sandbox (root), no
#      GPU, under `timeout 60`:
#        a. --dump-dom                       -> OUT_DIR/dom.html (the DOM after load)
#        b. --screenshot --window-size=1280,2000 --hide-scrollbars
#                                            -> OUT_DIR/screenshot.png (the top
#                                               1280x2000 pixels of the page)
#      or, with --pdf instead:
#        c. --print-to-pdf --no-pdf-header-footer
#                                            -> OUT_DIR/page.pdf (the page printed
#                                               with its own print CSS and @page)
#           then `pdftotext -raw` -> OUT_DIR/pdf.txt (the text in the order it was
#           drawn, so a cell wrapped over lines stays together) and `pdftotext -bbox`
#           -> OUT_DIR/pdf-bbox.html (every word with its box, every page's size).
#      chromium's stderr (harmless dbus/GPU noise) goes to OUT_DIR/chromium-*.log and
#      is only shown when a run fails.
#   Exits 0 only if the outputs exist and are non-empty; otherwise non-zero (1; 2 for
#   bad usage) with the reason on stderr.
#
# How to run (from anywhere)
#   bash scripts/chromium-check.sh OUT/report.html CHECK_DIR [--pdf]
#   bash scripts/chromium-check.sh --ensure     (install only; print the version)
#   Each chromium run takes about 1-2 s. Used by tests/it/report.rs.
set -uo pipefail

TIMEOUT=60
WINDOW=1280,2000

die() { echo "chromium-check: $*" >&2; exit 1; }
ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }  # wall clock in ms
skip() { echo "chromium-check: SKIP: $*" >&2; exit 3; }

# --ensure: only make sure chromium is installed (for tests that drive it themselves,
# tests/it/serve_browser.rs), print its version and exit 0 (3 if it cannot be had).
if [[ $# -eq 1 && $1 == --ensure ]]; then
    ensure_only=1
else
    ensure_only=0
fi
if [[ $ensure_only -eq 0 && ($# -lt 2 || $# -gt 3 || ($# -eq 3 && $3 != --pdf)) ]]; then
    echo "usage: $0 HTML_FILE OUT_DIR [--pdf]" >&2
    exit 2
fi

# ensure COMMAND PACKAGE: COMMAND on PATH, Debian's PACKAGE installed if need be.
ensure() {
    local cmd=$1 package=$2
    command -v "$cmd" >/dev/null 2>&1 && return 0
    if [[ $(id -u) != 0 ]]; then
        skip "$cmd is not installed and we are not root (cannot apt-get install $package)"
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        skip "$cmd is not installed and apt-get is not available"
    fi
    # Tests may call this script in parallel: one install at a time, and apt waits for
    # dpkg's lock if another apt-get (another test, another session) holds it.
    if command -v flock >/dev/null 2>&1; then
        exec 9>"${TMPDIR:-/tmp}/minilat-chromium-install.lock"
        flock -w 600 9 || skip "timed out waiting for another install of $package"
    fi
    if ! command -v "$cmd" >/dev/null 2>&1; then
        echo "chromium-check: installing $package (apt-get, about 30 s)..."
        local start=$SECONDS log ok=0 attempt reason
        log=$(mktemp)
        for attempt in 1 2; do
            if { apt-get -o DPkg::Lock::Timeout=120 update &&
                DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 \
                    install -y "$package"; } >"$log" 2>&1; then
                ok=1
                break
            fi
            [[ $attempt -lt 2 ]] && sleep 10
        done
        if [[ $ok -ne 1 ]]; then
            reason=$(grep -E '^E:' "$log" | tail -n 1)
            [[ -n $reason ]] || reason=$(grep -E '^W:' "$log" | head -n 1)
            rm -f "$log"
            skip "apt-get could not install $package${reason:+: $reason}"
        fi
        rm -f "$log"
        echo "chromium-check: installed $package in $((SECONDS - start)) s"
    fi
    exec 9>&-
    command -v "$cmd" >/dev/null 2>&1 || skip "apt-get succeeded but $cmd is not on PATH"
}

# 1. chromium (and pdftotext), installed if need be.
ensure chromium chromium
if [[ $ensure_only -eq 1 ]]; then
    timeout 20 chromium --version 2>/dev/null | head -n 1
    exit 0
fi
html=$1
out=$2
pdf=0
[[ $# -eq 3 ]] && pdf=1
[[ -f $html ]] || die "no such file: $html"
html=$(realpath "$html") || die "cannot resolve $html"
mkdir -p "$out" || die "cannot create $out"
out=$(realpath "$out")
[[ $pdf -eq 1 ]] && ensure pdftotext poppler-utils
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

if [[ $pdf -eq 1 ]]; then
    rm -f "$out/page.pdf" "$out/pdf.txt" "$out/pdf-bbox.html"
    run pdf /dev/null --print-to-pdf="$out/page.pdf" --no-pdf-header-footer
    [[ -s $out/page.pdf ]] || die "page.pdf is missing or empty"
    pdftotext -raw "$out/page.pdf" "$out/pdf.txt" 2>"$out/pdftotext.log" ||
        die "pdftotext -raw failed: $(tail -n 1 "$out/pdftotext.log")"
    pdftotext -bbox "$out/page.pdf" "$out/pdf-bbox.html" 2>>"$out/pdftotext.log" ||
        die "pdftotext -bbox failed: $(tail -n 1 "$out/pdftotext.log")"
    [[ -s $out/pdf.txt ]] || die "pdf.txt is empty: the PDF has no text"
    echo "chromium-check: OK: $out/page.pdf ($(wc -c <"$out/page.pdf") bytes)," \
        "$out/pdf.txt ($(wc -c <"$out/pdf.txt") bytes)"
    exit 0
fi

rm -f "$out/dom.html" "$out/screenshot.png"
run dom "$out/dom.html" --dump-dom
run screenshot /dev/null --screenshot="$out/screenshot.png" --window-size="$WINDOW" \
    --hide-scrollbars

[[ -s $out/dom.html ]] || die "dom.html is missing or empty"
[[ -s $out/screenshot.png ]] || die "screenshot.png is missing or empty"
echo "chromium-check: OK: $out/dom.html ($(wc -c <"$out/dom.html") bytes)," \
    "$out/screenshot.png ($(wc -c <"$out/screenshot.png") bytes)"
