# Shared by the scripts in this folder and by .ci/run; sourced, not run.

# install_missing TOOL...: installs with apt-get, in one go, the tools that are not on PATH (each is the
# Debian package of the same name).
install_missing() {
    local missing=() tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    apt_install "${missing[@]}"
}

# install_packages PACKAGE...: the same for Debian packages that are not installed, whatever commands
# they bring (bash-completion, man-db).
install_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    apt_install "${missing[@]}"
}

# apt_install PACKAGE...: apt-get install, as root or through sudo; nothing when given nothing.
apt_install() {
    [ $# -gt 0 ] || return 0
    local sudo=""
    echo "== installing $*" >&2
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "$@" >/dev/null
}

# release_binary: builds errbook (release) and prints the binary's path, wherever cargo's target folder is.
release_binary() {
    echo "== building errbook (release)" >&2
    cargo build --release --locked --quiet
    cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"] + "/release/errbook")'
}

