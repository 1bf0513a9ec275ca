#!/usr/bin/env bash
# Start-up benchmark: errbook's everyday commands against the cost of starting any process. Not run in CI
# (timings on shared machines are noise); the budgets are issue 16's.
#
#   scripts/bench.sh                                   the standard commands
#   scripts/bench.sh '2 errbook search token --lang ko'   plus more commands, each "TARGET COMMAND..."
#   BENCH_EXTRA=$'1.3 errbook lookup 7011 --lang ko' scripts/bench.sh   the same, one per line
#
# The floor is a Rust program that prints one line, built here with errbook's own [profile.release].
# The runs are made in rounds: each round is one hyperfine run of the floor and every command, a few
# runs each, so that what the machine is doing drifts across all of them alike; a command's ratio to the
# floor is the median over the rounds of its mean over the floor's mean in the same round. (One hyperfine
# run of 300 runs a command gave the same binary 1.74x and 2.18x on two runs a minute apart.)
# A leading `errbook` in a command is the release binary just built. Prints the machine and a Markdown
# table (command, mean and median ms over all runs, the ratio, target, pass/fail); exits 1 when a
# command misses its target.
# Environment: BENCH_RUNS (runs of each command in all, default 300), BENCH_ROUNDS (default 10),
# BENCH_WARMUP (warm-up runs each round, default 5), BENCH_JSON (keep the last round's hyperfine JSON).
set -euo pipefail
set -f # commands are split into words below; `network_*` must stay as written
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-300}
rounds=${BENCH_ROUNDS:-10}
warmup=${BENCH_WARMUP:-5}
per_round=$(((runs + rounds - 1) / rounds))

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
install_missing hyperfine
bin=$(release_binary)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== building the floor (one println!, errbook's release profile)" >&2
mkdir -p "$work/floor/src"
cat >"$work/floor/Cargo.toml" <<'EOF'
[package]
name = "floor"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

EOF
# errbook's [profile.release] section, copied verbatim, so both are built the same way.
awk '/^\[/ { keep = ($0 == "[profile.release]") } keep' Cargo.toml >>"$work/floor/Cargo.toml"
echo 'fn main() { println!("errbook floor"); }' >"$work/floor/src/main.rs"
CARGO_TARGET_DIR="$work/floor/target" cargo build --release --quiet --manifest-path "$work/floor/Cargo.toml"
floor="$work/floor/target/release/floor"

# target, command (a leading `errbook` stands for the binary); the floor comes first.
cases=(
    "2 errbook lookup 7011"
    "2 errbook explain network_connection_failure --format json"
    "2 errbook search token"
    "4 errbook list --format json"
)
cases+=("$@")
if [ -n "${BENCH_EXTRA:-}" ]; then
    while IFS= read -r line; do
        [ -n "$line" ] && cases+=("$line")
    done <<<"$BENCH_EXTRA"
fi

args=(-N --warmup "$warmup" --runs "$per_round" --style none)
args+=(--command-name floor "$floor")
targets=("")
for case in "${cases[@]}"; do
    target=${case%% *}
    command=${case#* }
    if ! [[ $target =~ ^[0-9]+(\.[0-9]+)?$ ]] || [ "$command" = "$case" ]; then
        echo "bench.sh: \"$case\" is not \"TARGET COMMAND...\" (for example \"2 errbook search token\")" >&2
        exit 2
    fi
    # Each command must work, or its timing would measure an error message.
    # shellcheck disable=SC2086 # the command is split into words, as hyperfine -N does
    if ! ${command/#errbook/$bin} >/dev/null 2>"$work/stderr"; then
        echo "bench.sh: \"$command\" fails: $(head -1 "$work/stderr")" >&2
        exit 2
    fi
    args+=(--command-name "$command" "${command/#errbook/$bin}")
    targets+=("$target")
done

echo "== hyperfine: ${#cases[@]} commands and the floor, $rounds rounds of $per_round runs each" >&2
for r in $(seq "$rounds"); do
    hyperfine "${args[@]}" --export-json "$work/round-$r.json" >&2
done
[ -z "${BENCH_JSON:-}" ] || cp "$work/round-$rounds.json" "$BENCH_JSON"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")
echo
echo "Machine: $(nproc) CPUs ($cpu), $os, Linux $(uname -r); $(hyperfine --version); $(rustc --version)."
echo "errbook release binary: $(stat -c %s "$bin") bytes."
echo
python3 - "$work" "$rounds" "${targets[@]}" <<'EOF'
import json
import statistics
import sys

work, rounds, targets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
per_round = [json.load(open(f"{work}/round-{r}.json"))["results"] for r in range(1, rounds + 1)]
print("| command | mean ms | ± σ ms | median ms | ratio to floor (median of the rounds) | target | |")
print("|---|---:|---:|---:|---:|---:|---|")
missed = 0
for n, target in enumerate(targets):
    times = [t for results in per_round for t in results[n]["times"]]
    ratio = statistics.median(results[n]["mean"] / results[0]["mean"] for results in per_round)
    if target:
        ok = ratio <= float(target)
        missed += not ok
        verdict = "pass" if ok else "FAIL"
        target = f"≤ {target}×"
    else:
        verdict = ""
    name = f"`{per_round[0][n]['command']}`"
    mean, sd, median = statistics.mean(times), statistics.stdev(times), statistics.median(times)
    print(f"| {name} | {mean * 1000:.2f} | {sd * 1000:.2f} | {median * 1000:.2f} | {ratio:.2f}× | {target} | {verdict} |")
sys.exit(1 if missed else 0)
EOF
