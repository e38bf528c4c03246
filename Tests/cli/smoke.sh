#!/usr/bin/env bash
# End-to-end check of the `cardex` binary as a person uses it: `cardex serve` on a fresh data
# directory (development certificate), register and verify with the code from the notification
# log, set and show a card, list sessions, log out, then SIGTERM and a clean exit.
#
#   Tests/cli/smoke.sh BIN_DIR     BIN_DIR holds the built `cardex`
set -euo pipefail
bin="${1:?usage: smoke.sh BIN_DIR}/cardex"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "cli smoke: FAILED: $*" >&2; [ -f "$work/serve.log" ] && sed 's/^/  serve: /' "$work/serve.log" >&2; exit 1; }

"$bin" serve --port 0 --data-dir "$work/data" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    address="$(grep -o 'address=[0-9.]*:[0-9]*' "$work/serve.log" | head -1 | cut -d= -f2)" || true
    [ -n "$address" ] && break
    sleep 0.1
done
[ -n "$address" ] || fail "server did not report its address"
grep -q "dev-ca.pem" "$work/serve.log" || fail "server did not say where the development certificate is"

export CARDEX_PROFILE="$work/profile.json"
cli() { "$bin" "$@" --server "$address" --ca "$work/data/dev-ca.pem"; }

cli register 555-010-4242 | grep -q "code sent to +15550104242" || fail "register"
for _ in $(seq 50); do
    code="$(grep -o 'code is [0-9]\{6\}' "$work/data/notifications.log" 2>/dev/null | tail -1 | grep -o '[0-9]\{6\}')" || true
    [ -n "$code" ] && break
    sleep 0.1
done
[ -n "$code" ] || fail "no code in the notification log"
cli verify +15550104242 "$code" --device smoke | grep -q "registered as +15550104242" || fail "verify"
[ "$(stat -c %a "$CARDEX_PROFILE")" = 600 ] || fail "profile file is not private"

cli card set 'name=Ada Lovelace|everyone' 'email:work=ada@example.com|contacts' | grep -q "version 1" || fail "card set"
cli card show | grep -q "email (work): ada@example.com  \[contacts\]" || fail "card show"
cli card show --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["version"]["version"]=="1"' || fail "card show --json"
if cli card set 'email=not-an-address' 2>"$work/err"; then fail "a bad e-mail was accepted"; fi
grep -q "INVALID_ARGUMENT" "$work/err" || fail "bad e-mail error: $(cat "$work/err")"
cli sessions | grep -q "smoke" || fail "sessions"
cli logout | grep -q "signed out" || fail "logout"
if cli card show 2>/dev/null; then fail "still signed in after logout"; fi

kill -TERM "$server_pid"
for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then fail "server still running 10 s after SIGTERM"; fi
wait "$server_pid" || fail "server exited with status $?"
server_pid=""
grep -q "stopped" "$work/serve.log" || fail "server did not log a clean stop"
echo "cli smoke: ok"
