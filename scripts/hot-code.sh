#!/usr/bin/env bash
# Start-up code layout (issue 8): which functions errbook's everyday commands run, so that the linker
# can put them side by side (`layout/hot-code.ld`, passed to the linker by build.rs).
#
#   scripts/hot-code.sh           write layout/hot-code.ld from the commands below
#   scripts/hot-code.sh --check   exit 1 when the release binary runs much code outside that group
#
# The functions a command runs are those valgrind's callgrind counts instructions for; a function is
# named by its mangled symbol with the parts that change from build to build (the hash at the end of a
# legacy symbol, the crate disambiguators of a v0 symbol) replaced by `*`, so the file stays valid when
# the compiler or a dependency changes and a function it no longer names simply goes back to the rest.
# Installs valgrind with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=write
case "${1:-}" in
"") ;;
--check) mode=check ;;
*)
    echo "usage: scripts/hot-code.sh [--check]" >&2
    exit 2
    ;;
esac

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
install_missing valgrind
bin=$(release_binary)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The commands, most frequent first: scripts look codes up; people explain, search and list; the shell
# asks for completions at every TAB. Each line is environment assignments (if any) and arguments.
commands=(
    "lookup 7011"
    "explain network_connection_failure --format json"
    "lookup 7011 --format json"
    "explain network_connection_failure"
    "--version"
    "search token"
    "search token --format json"
    "list --format json"
    "list"
    "_CLAP_COMPLETE_INDEX=2 COMPLETE=bash -- errbook lookup 70"
)
i=0
shown=() # each command as a shell runs it: its assignments, then `errbook` and its arguments
for command in "${commands[@]}"; do
    i=$((i + 1))
    read -ra words <<<"$command"
    vars=()
    while [ ${#words[@]} -gt 0 ] && [[ ${words[0]} == *=* ]]; do
        vars+=("${words[0]}")
        words=("${words[@]:1}")
    done
    shown+=("${vars[*]}${vars[*]:+ }errbook ${words[*]}")
    if ! env "${vars[@]}" valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/$i.out" \
        "$bin" "${words[@]}" >/dev/null 2>"$work/$i.err"; then
        echo "hot-code.sh: \"$command\" fails:" >&2
        grep -v '^==' "$work/$i.err" | head -3 >&2
        exit 2
    fi
done

python3 - "$mode" "$bin" "$work" "$(rustc --version)" "${shown[@]}" <<'EOF'
import re
import subprocess
import sys

mode, binary, work, rustc = sys.argv[1:5]
commands = sys.argv[5:]
LAYOUT = "layout/hot-code.ld"
SECTION = ".text.errbook_start"


def functions():
    """The binary's functions: name -> (address, size)."""
    out = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True)
    found = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTwW":
            found.setdefault(parts[3], (int(parts[0], 16), int(parts[1], 16)))
    return found


def ran(path):
    """The functions a callgrind profile counts instructions in."""
    names, counted = {}, set()
    for line in open(path, encoding="utf-8", errors="replace"):
        # `fn=(id) name` names a function the first time and `fn=(id)` after; `cfn=` (a call) names
        # them the same way, and only `fn=` says that instructions were counted in it.
        m = re.match(r"(c?)fn=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        if m.group(3) is not None:
            names[m.group(2)] = m.group(3)
        if m.group(1):
            continue
        if m.group(2) in names:
            counted.add(names[m.group(2)])
    return counted


def pattern(symbol):
    """The symbol with what changes from build to build as `*`."""
    symbol = re.sub(r"17h[0-9a-f]{16}E$", "17h*E", symbol)  # legacy mangling: the hash
    return re.sub(r"Cs[0-9A-Za-z]+_", "Cs*_", symbol)  # v0 mangling: crate disambiguators


binary_functions = functions()
if not binary_functions:
    print(f"hot-code.sh: {binary} has no symbol table (stripped?); nothing to go by", file=sys.stderr)
    sys.exit(2)
runs = [ran(f"{work}/{i + 1}.out") & binary_functions.keys() for i in range(len(commands))]

if mode == "write":
    # Functions every command runs first, then by how many commands run them, then by the first
    # (most frequent) command that does: what one command runs ends up in as few pages as it can. The
    # name breaks ties: the order of a callgrind profile follows addresses, which differ from run to run.
    users = {}
    for i, run in enumerate(runs):
        for f in run:
            users.setdefault(f, []).append(i)
    ranked = sorted(users, key=lambda f: (-len(users[f]), users[f][0], f))
    # The names exactly as this build has them come first, then the same with `*`: a generic
    # function's `*` name also stands for its instances that no command runs, which would otherwise
    # sit between those that do. A build whose names differ (another compiler) falls to the second half.
    patterns = list(dict.fromkeys(ranked + [pattern(f) for f in ranked]))
    with open(LAYOUT, "w") as out:
        out.write(
            "/* Generated by scripts/hot-code.sh: do not edit by hand; run it again after changing what these\n"
            " * commands run. build.rs passes this file to the linker for the errbook binary.\n"
            " *\n"
            " * The functions below are the ones these commands run (valgrind's callgrind), in this order:\n"
            " * those every command runs first, then by how many commands run them. The linker puts them\n"
            " * together ahead of the rest of the code, so that starting errbook reads a few neighbouring\n"
            " * pages of code instead of pages spread over the whole binary (each is a page fault).\n"
            " * A name that no longer matches anything is ignored; `*` stands for what changes from build\n"
            " * to build. Each function's section is `.text.NAME` or, when the compiler thinks it cold,\n"
            " * `.text.unlikely.NAME`.\n"
            " *\n"
            f" * {len(patterns)} names, from {rustc}; commands:\n"
        )
        for c in commands:
            out.write(f" *   {c}\n")
        out.write(f" */\nSECTIONS\n{{\n  {SECTION} :\n  {{\n")
        for p in patterns:
            out.write(f"    *(.text.{p} .text.unlikely.{p})\n")
        out.write("  }\n}\nINSERT BEFORE .text;\n")
    print(f"hot-code.sh: wrote {LAYOUT}: {len(patterns)} names from {len(users)} functions")
    sys.exit(0)

# --check: how much of what each command runs lies in the group.
sections = subprocess.run(["readelf", "-S", "-W", binary], capture_output=True, text=True, check=True).stdout
m = re.search(r"\s" + re.escape(SECTION) + r"\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", sections)
if not m:
    print(f"hot-code.sh: the release binary has no {SECTION} section: build.rs did not pass {LAYOUT} "
          "to the linker", file=sys.stderr)
    sys.exit(1)
start, size = int(m.group(1), 16), int(m.group(2), 16)
print(f"{SECTION}: {size} bytes of code")
print("| command | functions run | bytes | outside the group |")
print("|---|---:|---:|---:|")
worst = 1.0
for command, run in zip(commands, runs):
    total = sum(binary_functions[f][1] for f in run)
    outside = [f for f in run if not start <= binary_functions[f][0] < start + size]
    out_bytes = sum(binary_functions[f][1] for f in outside)
    share = 1 - out_bytes / total if total else 1.0
    worst = min(worst, share)
    print(f"| `{command}` | {len(run)} | {total} | {out_bytes} ({1 - share:.0%}) |")
    for f in sorted(outside, key=lambda f: -binary_functions[f][1])[:5]:
        print(f"|   {f} | | {binary_functions[f][1]} | |")
# Small functions from the C start files (`_start`, `_init`) are never in the group; a few new or
# renamed functions are harmless. More than this means the file is out of step with the code.
if worst < 0.9:
    print(f"hot-code.sh: a command runs {1 - worst:.0%} of its code outside {SECTION}; "
          "run scripts/hot-code.sh to bring layout/hot-code.ld up to date", file=sys.stderr)
    sys.exit(1)
EOF
