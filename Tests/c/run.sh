#!/usr/bin/env bash
# The C client end to end: builds it (clients/c/build.sh) and runs its frame unit tests;
# installs it with CMake and builds a program on it through pkg-config (Tests/c/install.sh);
# runs the interop cases against the Swift `framedrpc-interop` server over TLS, the
# documentation's example, and the Cardex scenario (register, SetCard, Lookup) against `cardex serve`.
# Fails on the first failure.
#
#   Tests/c/run.sh BIN_DIR     BIN_DIR holds the built `framedrpc-interop` and `cardex`
set -euo pipefail
readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly BIN="${1:?usage: Tests/c/run.sh BIN_DIR}"
readonly CERTIFICATES="$ROOT/Tests/FramedRPCTests/Certificates"
readonly INTEROP_CASES=(empty_unary large_unary server_streaming client_streaming
    status_code_and_message unimplemented_method timeout_on_sleeping_server
    ping_pong empty_stream custom_metadata special_status_message unimplemented_service
    cancel_after_begin alpn_and_ping flow_control_beyond_the_initial_window)
work="$(mktemp -d)"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "c client: FAILED: $*" >&2
    local log
    for log in "$work"/*.log; do [ -f "$log" ] && sed "s|^|  $(basename "$log" .log): |" "$log" >&2; done
    exit 1
}
# wait_for_line FILE REGEX: the first match of REGEX in FILE, waiting up to 30 s.
wait_for_line() {
    local found=""
    for _ in $(seq 300); do
        found="$(grep -o -m1 -E "$2" "$1" 2>/dev/null || true)"
        [ -n "$found" ] && break
        sleep 0.1
    done
    echo "$found"
}

"$ROOT/clients/c/build.sh" "$work/build" >/dev/null || fail "build"
"$work/build/frame-test" || fail "frame unit tests"
"$ROOT/Tests/c/install.sh" || fail "install (Tests/c/install.sh)"

"$BIN/framedrpc-interop" serve --host 127.0.0.1 --port 0 \
    --cert "$CERTIFICATES/server.pem" --key "$CERTIFICATES/server-key.pem" >"$work/interop.log" 2>&1 &
pids+=($!)
listening="$(wait_for_line "$work/interop.log" 'listening on [0-9.]+:[0-9]+')"
[ -n "$listening" ] || fail "framedrpc-interop did not print 'listening on HOST:PORT'"
port="${listening##*:}"
case_options=()
for name in "${INTEROP_CASES[@]}"; do case_options+=(--case "$name"); done
"$work/build/framedrpc-interop-c" --host 127.0.0.1 --port "$port" --ca "$CERTIFICATES/ca.pem" \
    "${case_options[@]}" || fail "interop cases"
# By name: the certificate names localhost too.
"$work/build/unary-example" localhost "$port" "$CERTIFICATES/ca.pem" | grep -qx "got 16 bytes" || fail "example"
if "$work/build/framedrpc-interop-c" --host 127.0.0.1 --port "$port" --ca "$CERTIFICATES/other-ca.pem" \
    --case empty_unary >"$work/untrusted.out"; then
    fail "a server certificate from an untrusted CA was accepted"
fi
grep -q "certificate rejected" "$work/untrusted.out" || fail "untrusted CA: $(cat "$work/untrusted.out")"

# The scenario's numbers are under +1555, an area code that reaches no one: a test prefix.
"$BIN/cardex" serve --port 0 --data-dir "$work/data" --test-number-prefix +1555 >"$work/serve.log" 2>&1 &
pids+=($!)
address="$(wait_for_line "$work/serve.log" 'address=[0-9.]+:[0-9]+')"
[ -n "$address" ] || fail "cardex serve did not report its address"
address="${address#address=}"
"$work/build/cardex-scenario-c" --host "${address%:*}" --port "${address##*:}" --ca "$work/data/dev-ca.pem" \
    --notifications "$work/data/notifications.log" || fail "Cardex scenario"
echo "c client: ok"
