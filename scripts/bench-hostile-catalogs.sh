#!/usr/bin/env bash
# Measures the user-catalog cases of issue 20 that must grow linearly with their input, each at two sizes
# (time and peak memory of one run, from /usr/bin/time):
#   folder   a folder of F small files, each extending the built-in pallycon catalog with one entry (#13):
#            cold (parse and cache every file) and warm lookups
#   domains  one file declaring D domains whose E entries each use an undeclared one (#14, #8): validate
#   codes    10,000 codes on stdin against a user catalog of 100,000 entries (#12): warm lookup
#   hits     a wildcard over a whole catalog (#9) and a log naming each of its codes (#10), at N entries
#            (SIZES_N, default 100000 and 200000), beside `list` of the same entries
#
#   scripts/bench-hostile-catalogs.sh              # the sizes in the README
#   SIZES_F="500 1000" scripts/bench-hostile-catalogs.sh
#   CASES=hits scripts/bench-hostile-catalogs.sh   # only some cases
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES_F=${SIZES_F:-"1000 4000"}
SIZES_E=${SIZES_E:-"20000 40000"}
D=${D:-20000}
SIZES_N=${SIZES_N:-"100000 200000"}
# CASES picks some of the cases below (folder domains codes hits).
CASES=${CASES:-"folder domains codes hits"}
want() { case " $CASES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
bin=$(release_binary)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
unset ERRBOOK_CATALOG_PATH

# measure NAME CMD...: one run; prints wall seconds, CPU seconds (user + system: steadier than wall time
# on a shared machine) and peak resident MB.
measure() {
    local name=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/err" </dev/null || true
    # The last line: /usr/bin/time puts "Command exited with non-zero status" before it (validate exits 2).
    read -r secs kb user sys < <(tail -n 1 "$work/time")
    printf '%-58s %7.2f s wall %7.2f s CPU %6.0f MB %s\n' "$name" "$secs" "$(echo "$user $sys" | awk '{print $1 + $2}')" \
        "$((kb / 1024))" "$(tail -n 1 "$work/err" | cut -c 1-60)"
}

want folder || SIZES_F=""
want domains || SIZES_E=""
for f in $SIZES_F; do
    dir="$work/config/errbook/catalogs"
    rm -rf "$dir" "$work/cache"
    mkdir -p "$dir"
    python3 - "$dir" "$f" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open(f"{d}/team-{i:05}.toml", "w") as out:
        out.write(f'[catalog]\nid = "pallycon"\n\n[[entry]]\ncode = "T{i}"\ndomain = "token"\n'
                  f'action = "retry"\nofficial = []\nmessage.en = "Team code {i}."\n')
PY
    measure "folder of $f files extending pallycon: cold lookup" "$bin" lookup T1
    measure "folder of $f files extending pallycon: warm lookup" "$bin" lookup T1
done
rm -rf "$work/config/errbook/catalogs"

for e in $SIZES_E; do
    python3 - "$work/domains.toml" "$D" "$e" <<'PY'
import sys
path, d, e = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as out:
    out.write('[catalog]\nid = "many"\nvendor = "V"\nproduct = "P"\nofficial_langs = ["en"]\n'
              'description.en = "D"\n')
    for i in range(d):
        out.write(f'\n[[domain]]\nid = "d{i}"\ntitle.en = "Domain {i}"\n')
    for i in range(e):
        out.write(f'\n[[entry]]\ncode = "U{i}"\ndomain = "undeclared-{i}"\naction = "retry"\n'
                  f'official = []\nmessage.en = "m"\n')
PY
    measure "$D domains, $e entries with undeclared domains: validate" "$bin" validate "$work/domains.toml"
done

if want codes; then
python3 scripts/gen-catalog.py 100000 >"$work/big.toml"
"$bin" --catalog-file "$work/big.toml" lookup 1000001 >/dev/null
seq 1000000 10 1099999 | head -10000 >"$work/codes"
/usr/bin/time -f "%e %M" -o "$work/time" "$bin" --catalog-file "$work/big.toml" lookup - \
    <"$work/codes" >"$work/out" 2>/dev/null || true
read -r secs kb < <(tail -n 1 "$work/time")
printf '%-58s %8.2f s %8.0f MB (%s rows)\n' "10,000 codes on stdin, 100,000-entry catalog: warm" \
    "$secs" "$((kb / 1024))" "$(wc -l <"$work/out")"
fi

# #9, #10: gathering many hits (a wildcard over a whole catalog; a log naming every code of it once) is
# linear: each hit is checked against those already kept with one hash lookup, not a scan of them all.
# `list` of the same entries is the yardstick.
want hits || SIZES_N=""
for n in $SIZES_N; do
    python3 scripts/gen-catalog.py "$n" >"$work/big-$n.toml"
    "$bin" --catalog-file "$work/big-$n.toml" lookup 1000001 >/dev/null
    measure "$n entries: list --catalog synthetic (the yardstick)" \
        "$bin" --catalog-file "$work/big-$n.toml" list --catalog synthetic --format plain
    measure "$n entries: lookup 'synthetic:*' (#9)" \
        "$bin" --catalog-file "$work/big-$n.toml" lookup 'synthetic:*' --format plain
    seq 1000000 $((1000000 + n - 1)) | sed 's/^/level=error errorCode=/' >"$work/log-$n"
    measure "$n entries: scan of a log naming each code once (#10)" \
        "$bin" --catalog-file "$work/big-$n.toml" scan "$work/log-$n" --format plain
    measure "$n entries: explain - of the same log (#10: each entry's story once)" \
        sh -c '"$0" --catalog-file "$1" explain - --format plain <"$2"' "$bin" "$work/big-$n.toml" "$work/log-$n"
done
