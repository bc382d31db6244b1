#!/usr/bin/env bash
# Installs the system libraries Decant builds against when they are missing (Debian/Ubuntu, as root or via sudo).
set -euo pipefail
need=()
pkg-config --exists libxml-2.0 || need+=(libxml2-dev)
pkg-config --exists libcurl || need+=(libcurl4-openssl-dev)
pkg-config --exists uchardet || need+=(libuchardet-dev)
pkg-config --exists zlib || need+=(zlib1g-dev)
pkg-config --exists sqlite3 || need+=(libsqlite3-dev)
pkg-config --exists libidn2 || need+=(libidn2-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    echo "bootstrap: installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq || { echo "bootstrap: apt-get update failed; install manually: apt-get install -y ${need[*]}" >&2; exit 1; }
    $sudo apt-get install -y -qq "${need[@]}" >/dev/null || { echo "bootstrap: run: apt-get install -y ${need[*]}" >&2; exit 1; }
fi
command -v swift >/dev/null || { echo "bootstrap: Swift 6.2 or later is required (https://swift.org/install)" >&2; exit 1; }
