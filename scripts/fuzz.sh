#!/usr/bin/env bash
# Runs errbook's fuzz targets (fuzz/, cargo-fuzz with libFuzzer), one after another.
#
#   scripts/fuzz.sh                  every target in fuzz/Cargo.toml, 600 seconds each
#   scripts/fuzz.sh 60 query_parse   one target, one minute
#
# A crash stops the run and leaves the input in fuzz/artifacts/<target>/; replay it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>   (from fuzz/)
# New interesting inputs collect in fuzz/corpus/<target>/ (not committed); seeds/<target>/ is committed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

secs=${1:-600}
[ $# -gt 0 ] && shift

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# cargo-fuzz builds with nightly-only flags (-Zsanitizer=address and friends). Only a stable toolchain is
# assumed here; RUSTC_BOOTSTRAP=1 lets it accept them. With a nightly toolchain, `cargo +nightly fuzz` works too.
export RUSTC_BOOTSTRAP=1
# errbook's only unsafe code maps cache files (memmap2), which the fuzz targets do not reach, so
# AddressSanitizer would find nothing a panic does not, at several times the cost per input;
# FUZZ_SANITIZER=address turns it back on (cargo fuzz's default).
sanitizer=${FUZZ_SANITIZER:-none}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi

for t in "${targets[@]}"; do
    echo "== fuzzing $t for ${secs}s"
    mkdir -p "corpus/$t"
    dirs=("corpus/$t")
    [ -d "seeds/$t" ] && dirs+=("seeds/$t")
    cargo fuzz run --sanitizer "$sanitizer" "$t" "${dirs[@]}" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
