#!/usr/bin/env bash
# Peak memory (max RSS) and throughput of `minilat sweep` against the number of runs:
# the small scenario benches/sweep-memory.toml, 100 replicates per point, 10^2, 10^3
# and 10^4 points (10^4, 10^5 and 10^6 runs). Memory should stay flat: a sweep holds
# one chunk of results and one point's metric values, never the whole sweep.
#
#   bash benches/sweep-memory.sh            # all three sizes (about 45 s on 2 cores)
#   SIZES="100 1000" bash benches/sweep-memory.sh
#
# Needs GNU time (/usr/bin/time, Debian package `time`). Figures: benches/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/minilat
[[ -x /usr/bin/time ]] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%10s %10s %12s %10s %12s\n' points runs "max RSS" seconds "runs/s"
for points in ${SIZES:-100 1000 10000}; do
  runs=$((points * 100))
  stats=$(/usr/bin/time -f '%M %e' "$bin" sweep benches/sweep-memory.toml \
    --samples "$points" --out "$out/$points" --quiet 2>&1 >/dev/null | tail -n 1)
  read -r kib secs <<<"$stats"
  awk -v p="$points" -v r="$runs" -v k="$kib" -v s="$secs" \
    'BEGIN { printf "%10d %10d %9.1f MiB %10.2f %12.0f\n", p, r, k / 1024, s, r / s }'
  rm -rf "${out:?}/$points"
done
