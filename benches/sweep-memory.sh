#!/usr/bin/env bash
# Peak memory (max RSS) and wall time of the default commands against the number of
# runs and points, charts and report included (no --no-plots):
#   - `minilat sweep` of the small scenario benches/sweep-memory.toml, 100 replicates per
#     point, 10^3, 10^4 and 10^5 points (10^5, 10^6 and 10^7 runs);
#   - `minilat run` of the same scenario with --runs 10^6 (one point of 10^6 runs);
#   - `minilat validate` of a 10^9-point grid (benches/grid-1e9.toml).
# Memory should stay flat: a batch holds one chunk of results and at most 2^16 runs'
# metric values per point; charts of more than 2,000 points are drawn from bins; the
# report reads only the points it shows; validate checks a sample of a huge design.
#
#   bash benches/sweep-memory.sh            # everything (about 10 min on 2 cores)
#   SIZES="1000 10000" RUNS= VALIDATE= bash benches/sweep-memory.sh   # sweeps only, quicker
#
# Needs GNU time (/usr/bin/time, Debian package `time`). Figures: benches/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/minilat
[[ -x /usr/bin/time ]] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
measure() { # label, runs, command...
  local label=$1 runs=$2 stats kib secs
  shift 2
  stats=$(/usr/bin/time -f '%M %e' "$@" 2>&1 >/dev/null | tail -n 1)
  read -r kib secs <<<"$stats"
  awk -v l="$label" -v r="$runs" -v k="$kib" -v s="$secs" \
    'BEGIN { printf "%-28s %12d %9.1f MiB %10.2f %12s\n", l, r, k / 1024, s, (r ? sprintf("%.0f", r / s) : "-") }'
}
printf '%-28s %12s %13s %10s %12s\n' command runs "max RSS" seconds "runs/s"
for points in ${SIZES-1000 10000 100000}; do
  measure "sweep, $points points" $((points * 100)) "$bin" sweep benches/sweep-memory.toml \
    --samples "$points" --yes --out "$out/$points" --quiet
  rm -rf "${out:?}/$points"
done
for runs in ${RUNS-1000000}; do
  measure "run --runs $runs" "$runs" "$bin" run benches/sweep-memory.toml \
    --runs "$runs" --out "$out/run" --quiet
  rm -rf "${out:?}/run"
done
if [[ ${VALIDATE-yes} ]]; then
  measure "validate, 10^9-point grid" 0 "$bin" validate benches/sweep-memory.toml \
    --design-file benches/grid-1e9.toml
fi
