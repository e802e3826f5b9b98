#!/usr/bin/env bash
# Clean-build time of the release profile users build first (`cargo run --release`,
# `cargo install --path .`, CI's `cargo test --release`) against the earlier profile
# (fat LTO, one codegen unit, line debug info; now the `bench` profile), and the run
# time of a 3,000-run quickstart batch on one thread with each binary.
#
#   bash benches/build-time.sh      # about 5 minutes on 2 cores; run on a quiet machine
#
# Needs GNU time (/usr/bin/time, Debian package `time`). Figures: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x /usr/bin/time ]] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
cargo fetch --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build() { # name, then environment overrides of the release profile
  local name=$1; shift
  env "$@" CARGO_TARGET_DIR="$work/$name" /usr/bin/time -f "%e %U" \
    cargo build --release --quiet 2>&1 | tail -n 1
}
run_time() {
  /usr/bin/time -f "%U" "$work/$1/release/minilat" run scenarios/quickstart.toml \
    --runs 3000 --threads 1 --quiet --no-plots --out "$work/out-$1" 2>&1 | tail -n 1
}
printf '%-34s %10s %12s %16s\n' profile "wall (s)" "user (s)" "3,000 runs (s)"
read -r wall user <<<"$(build release)"
printf '%-34s %10s %12s %16s\n' "release (thin LTO, 16 units)" "$wall" "$user" "$(run_time release)"
read -r wall user <<<"$(build fat CARGO_PROFILE_RELEASE_LTO=fat \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_DEBUG=1)"
printf '%-34s %10s %12s %16s\n' "earlier (fat LTO, 1 unit, debug 1)" "$wall" "$user" "$(run_time fat)"
