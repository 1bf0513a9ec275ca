#!/usr/bin/env bash
# What a person gets from the Debian package, checked on this machine: builds it (scripts/package.sh),
# installs it with dpkg, runs errbook from PATH, finds the manual with man, completes a word in new bash,
# zsh and fish shells through the installed files alone, then removes the package and checks that none
# of its files is left. Needs root (or sudo). Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
install_packages man-db bash-completion zsh fish

fail() {
    echo "package-check: FAILED: $*" >&2
    exit 1
}

deb=$(scripts/package.sh)
echo "== installing $deb" >&2
$sudo dpkg -i "$deb" >/dev/null
installed=$(dpkg-query -L errbook)
cleanup() { $sudo dpkg -r errbook >/dev/null 2>&1 || true; }
trap cleanup EXIT

# A new shell's environment: the system's PATH and an empty home, nothing of this build.
home=$(mktemp -d)
new_env=(env -i HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin TERM=dumb LANG=C.UTF-8)

[ "$("${new_env[@]}" sh -c 'command -v errbook')" = /usr/bin/errbook ] || fail "errbook is not /usr/bin/errbook on PATH"
out=$("${new_env[@]}" errbook lookup 7011)
printf '%s\n' "$out" | grep -q "^pallycon	7011	" || fail "errbook lookup 7011 printed: $out"
"${new_env[@]}" errbook --version | grep -q "^  pallycon " || fail "--version names no catalog"

page=$("${new_env[@]}" man -w errbook) || fail "man -w errbook finds nothing"
[ "$page" = /usr/share/man/man1/errbook.1.gz ] || fail "man -w errbook: $page"
"${new_env[@]}" MANWIDTH=80 man errbook 2>/dev/null | grep -q "lookup" || fail "man errbook shows no lookup"

# bash: bash-completion loads the installed script on demand, as on the first TAB of a new shell.
got=$("${new_env[@]}" bash --norc --noprofile -c '
    . /usr/share/bash-completion/bash_completion
    _completion_loader errbook 2>/dev/null || __load_completion errbook
    spec=$(complete -p errbook) || exit 1
    func=$(printf "%s\n" "$spec" | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
    COMP_WORDS=(errbook look); COMP_CWORD=1; COMP_LINE="errbook look"; COMP_POINT=${#COMP_LINE}
    "$func" errbook look errbook
    printf "%s\n" "${COMPREPLY[@]}"')
printf '%s\n' "$got" | grep -qx "lookup" || fail "bash completes 'errbook look' to: $got"

# fish: vendor_completions.d is on fish's completion path.
got=$("${new_env[@]}" fish -c 'complete -C "errbook look"')
printf '%s\n' "$got" | grep -q "^lookup" || fail "fish completes 'errbook look' to: $got"

# zsh: compinit finds the installed function in its default fpath and binds it to errbook.
got=$("${new_env[@]}" zsh -f -c 'autoload -U compinit && compinit -u -d "$HOME/.zcompdump" && print -r -- "${_comps[errbook]}"')
[ "$got" = "_errbook" ] || fail "zsh compinit binds errbook to: '$got'"

echo "== removing the package" >&2
trap - EXIT
$sudo dpkg -r errbook >/dev/null
dpkg-query -W -f='${Status}' errbook 2>/dev/null | grep -q "install ok installed" && fail "still installed"
left=()
while IFS= read -r f; do
    [ -f "$f" ] || [ -L "$f" ] || continue
    left+=("$f")
done <<<"$installed"
[ ${#left[@]} -eq 0 ] || fail "left behind: ${left[*]}"
rm -rf "$home"
echo "package-check: ok ($(basename "$deb"): installed, run, man page, bash/zsh/fish completion, removed clean)"
