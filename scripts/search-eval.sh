#!/usr/bin/env bash
# Search quality on the judgement set (tests/data/search-judgements.tsv): prints MRR@10, nDCG@5, P@1 and
# the queries with nothing relevant in the top 10, per language. The same computation is a test
# (tests/it/search_eval.rs), which fails when the figures fall below their floors.
# SEARCH_EVAL_VERBOSE=1 also prints each query's grades of its top 10 and its top 3.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --quiet --test it search_eval::search_quality -- --nocapture --test-threads=1 2>&1 |
    grep -E '^(\||misses|query|.*panicked|.*< )' || true
