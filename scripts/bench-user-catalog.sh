#!/usr/bin/env bash
# Measures errbook with a large user catalog (100,000 entries by default, from scripts/gen-catalog.py):
# cold (no cache: the TOML is parsed) and warm (the cache is filled), beside `errbook lookup 7011` with no
# user catalog as the baseline of the same run. Prints mean times, ratios to the baseline, and the goals
# (warm: lookup and explain within 10 ms, search within 150 ms, for the whole process; issues 6 and 16).
# `search --limit 1000000` writes every match: its time grows with the matches, not with their square
# (issue 20); run two sizes (N=100000, N=200000) to see it.
#
#   scripts/bench-user-catalog.sh            # N=100000
#   N=20000 RUNS=10 scripts/bench-user-catalog.sh
#   N=1000000 COLD_RUNS=1 scripts/bench-user-catalog.sh   (parsing a million entries takes a while)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
RUNS=${RUNS:-20}
COLD_RUNS=${COLD_RUNS:-5}
# Processes that cold-load the catalog at once, for the peak-memory line (one parses, the others wait).
PARALLEL=${PARALLEL:-4}

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
install_missing hyperfine
bin=$(release_binary)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# CATALOG=path reuses a catalog gen-catalog.py wrote before (a million entries take minutes to write).
if [ -n "${CATALOG:-}" ]; then
    cp "$CATALOG" "$work/big.toml"
else
    python3 scripts/gen-catalog.py "$N" > "$work/big.toml"
fi

# Only this run's catalog and cache: no config folder, no ERRBOOK_CATALOG_PATH.
export HOME="$work/home" XDG_CACHE_HOME="$work/cache"
unset ERRBOOK_CATALOG_PATH XDG_CONFIG_HOME
code=$((1000000 + N / 2))
cat="--catalog-file $work/big.toml"

hyperfine -N --runs "$COLD_RUNS" --prepare "rm -rf $work/cache" --export-json "$work/cold.json" \
    -n "cold lookup (parse + write cache)" "$bin $cat lookup $code" \
    -n "cold lookup --no-cache" "$bin $cat --no-cache lookup $code" >/dev/null

"$bin" $cat lookup "$code" >/dev/null  # fills the cache
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/warm.json" \
    -n "baseline: lookup 7011, built-in only" "$bin lookup 7011" \
    -n "warm lookup" "$bin $cat lookup $code" \
    -n "warm explain" "$bin $cat explain $code" \
    -n "warm search" "$bin $cat search token expired" \
    -n "warm search --limit 1000000" "$bin $cat search --limit 1000000 token expired" >/dev/null

# Peak memory (maximum resident set, /usr/bin/time): one cold run, one warm run, and PARALLEL cold runs
# started together on an empty cache.
peak() { /usr/bin/time -f "%M" -o "$1" "${@:2}" >/dev/null 2>&1; }
rm -rf "$work/cache"
peak "$work/cold.peak" "$bin" $cat lookup "$code"
peak "$work/warm.peak" "$bin" $cat lookup "$code"
rm -rf "$work/cache"
start=$(date +%s)
for i in $(seq "$PARALLEL"); do peak "$work/par$i.peak" "$bin" $cat lookup "$code" & done
wait
par_secs=$(($(date +%s) - start))
par_max=$(sort -n "$work"/par*.peak | tail -1)
par_sum=$(($(cat "$work"/par*.peak | paste -sd+)))
echo "peak memory: cold lookup $(($(cat "$work/cold.peak") / 1024)) MB, warm lookup $(($(cat "$work/warm.peak") / 1024)) MB"
echo "$PARALLEL cold lookups at once: ${par_secs} s, largest $((par_max / 1024)) MB, together $((par_sum / 1024)) MB"

python3 - "$work/cold.json" "$work/warm.json" "$N" "$(stat -c %s "$work/big.toml")" \
    "$(du -sb "$work/cache" | cut -f1)" <<'PY'
import json, sys
cold, warm = (json.load(open(p))["results"] for p in sys.argv[1:3])
n, toml_size, cache_size = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
base = warm[0]["mean"]
goals = {"warm lookup": 0.010, "warm explain": 0.010, "warm search": 0.150}
print(f"{n} entries: catalog {toml_size / 1e6:.1f} MB of TOML, cache {cache_size / 1e6:.1f} MB")
print(f"{'command':40} {'mean ms':>9} {'× baseline':>11}  goal")
for r in warm[:1] + cold + warm[1:]:
    name, mean = r["command"], r["mean"]
    goal = goals.get(name)
    verdict = "" if goal is None else f"< {goal * 1000:.0f} ms: {'ok' if mean < goal else 'MISSED'}"
    print(f"{name:40} {mean * 1000:9.1f} {mean / base:11.1f}  {verdict}")
PY
