#!/usr/bin/env bash
# The C client as an installed library: configures and builds clients/c/CMakeLists.txt,
# `cmake --install`s it into a temporary prefix, then builds clients/c/examples/installed_example.c
# with nothing but `pkg-config --cflags --libs framedrpc` and runs it. Once with the static
# library (the default) and once with the shared one. Fails on the first failure. Run by
# Tests/c/run.sh; needs cmake and pkg-config (scripts/bootstrap.sh installs them).
#
#   Tests/c/install.sh
set -euo pipefail
readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly CC="${CC:-cc}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
    echo "c client install: FAILED: $*" >&2
    local log
    for log in "$work"/*.log; do [ -f "$log" ] && sed "s|^|  $(basename "$log" .log): |" "$log" >&2; done
    exit 1
}
for tool in cmake pkg-config; do
    command -v "$tool" >/dev/null || fail "$tool not found: install $tool (scripts/bootstrap.sh does)"
done
expected_version="$(sed -n 's/^#define FRPC_VERSION "\(.*\)"$/\1/p' "$ROOT/clients/c/framedrpc/framedrpc.h")"
[ -n "$expected_version" ] || fail "no FRPC_VERSION in clients/c/framedrpc/framedrpc.h"

# check KIND CMAKE_OPTIONS...: build, install and use the library of one kind.
check() {
    local kind="$1"; shift
    local build="$work/$kind-build" prefix="$work/$kind-prefix" program="$work/$kind-program"
    rm -f "$work"/*.log
    cmake -S "$ROOT/clients/c" -B "$build" "$@" >"$work/configure.log" 2>&1 || fail "$kind: cmake configure"
    cmake --build "$build" >"$work/build.log" 2>&1 || fail "$kind: cmake --build"
    cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || fail "$kind: cmake --install"

    local pc
    pc="$(find "$prefix" -name framedrpc.pc)"
    [ -n "$pc" ] || fail "$kind: no framedrpc.pc under the prefix"
    export PKG_CONFIG_PATH="$(dirname "$pc")"
    pkg-config --print-errors --exists framedrpc 2>"$work/pkg-config.log" || fail "$kind: pkg-config framedrpc"
    local flags
    flags="$(pkg-config --cflags --libs framedrpc)"
    # The headers and library must come from the prefix, not from a copy installed elsewhere.
    [[ "$flags" == *"-I$prefix/"* && "$flags" == *"-L$prefix/"* ]] ||
        fail "$kind: pkg-config's flags do not point into the prefix: $flags"

    # Built outside the source tree, so only the installed headers can be found.
    mkdir -p "$program"
    cp "$ROOT/clients/c/examples/installed_example.c" "$program/"
    # shellcheck disable=SC2086 # flags is a list
    "$CC" -std=c11 -Wall -Wextra -Werror "$program/installed_example.c" $flags -o "$program/installed-example" \
        >"$work/compile.log" 2>&1 || fail "$kind: compiling with \$(pkg-config --cflags --libs framedrpc)"
    local output
    output="$(LD_LIBRARY_PATH="$(pkg-config --variable=libdir framedrpc)" "$program/installed-example" 2>&1)" ||
        fail "$kind: installed-example: $output"
    [[ "$output" == "framedrpc $expected_version: "* ]] ||
        fail "$kind: installed-example printed '$output', not 'framedrpc $expected_version: …'"
    [ "$(pkg-config --modversion framedrpc)" = "$expected_version" ] ||
        fail "$kind: framedrpc.pc says version $(pkg-config --modversion framedrpc), framedrpc.h $expected_version"
}
check static
check shared -DBUILD_SHARED_LIBS=ON
echo "c client install: ok"
