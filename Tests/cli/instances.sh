#!/usr/bin/env bash
# Two `cardex serve` processes on one PostgreSQL database, as one service (issue 17, the parts
# built so far): both use one server secret (--secret-file) and one certificate, and both run
# the notification worker on the shared outbox with one notification log.
# - A code requested through instance 1 verifies through instance 2.
# - Each code is delivered once, although both workers look at the outbox.
# - What a person does through one instance is what the other answers (a card set through 1,
#   shared with someone signed in through 2, is in their inbox on 2).
# - A logout through one instance ends the session on the other within 1 s.
# - A third instance with another secret is refused, with the reason, and the database keeps
#   serving the first two.
#
#   Tests/cli/instances.sh BIN_DIR POSTGRES_URL
#       BIN_DIR holds the built `cardex`; POSTGRES_URL names an empty database of its own.
set -euo pipefail
bin="${1:?usage: instances.sh BIN_DIR POSTGRES_URL}/cardex"
export CARDEX_DATABASE_URL="${2:?usage: instances.sh BIN_DIR POSTGRES_URL}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "instances: FAILED: $*" >&2
    for log in "$work"/serve-*.log; do [ -f "$log" ] && sed "s|^|  $(basename "$log" .log): |" "$log" >&2; done
    exit 1
}

# Starts instance N (its own data directory) with extra options; sets $address to where it listens.
start_instance() {
    local n=$1
    shift
    "$bin" serve --port 0 --data-dir "$work/data-$n" --secret-file "$work/secret" --notification-log "$work/notifications.log" \
        --default-region US --test-number-prefix +1555 "$@" >"$work/serve-$n.log" 2>&1 &
    pids+=($!)
    address=""
    for _ in $(seq 100); do
        address="$(grep -o 'address=[0-9.]*:[0-9]*' "$work/serve-$n.log" | head -1 | cut -d= -f2)" || true
        [ -n "$address" ] && return 0
        sleep 0.1
    done
    fail "instance $n did not report its address"
}

# Instance 1 makes the secret and a development certificate; instance 2 uses both.
start_instance 1
first="$address"
[ "$(stat -c %a "$work/secret")" = 600 ] || fail "the secret file is not private"
start_instance 2 --cert "$work/data-1/dev-server.pem" --key "$work/data-1/dev-server-key.pem"
second="$address"
ca="$work/data-1/dev-ca.pem"

# The codes sent to a number (E.164), after waiting up to 5 s for one.
codes_for() {
    for _ in $(seq 50); do
        grep -qF "\"to\":\"$1\"" "$work/notifications.log" 2>/dev/null && break
        sleep 0.1
    done
    grep -F "\"to\":\"$1\"" "$work/notifications.log" 2>/dev/null | grep -o 'code is [0-9]\{6\}' | grep -o '[0-9]\{6\}' || true
}
a() { CARDEX_PROFILE="$work/profile-a.json" "$bin" "$@" --ca "$ca"; }
b() { CARDEX_PROFILE="$work/profile-b.json" "$bin" "$@" --ca "$ca"; }

a register 555-010-5001 --server "$first" | grep -q "code sent to +15550105001" || fail "register through instance 1"
code="$(codes_for +15550105001)"
[ -n "$code" ] || fail "no code delivered"
sleep 1  # time for a second delivery, if the two workers both took the message
[ "$(codes_for +15550105001 | wc -l)" = 1 ] || fail "the code was delivered more than once: $(codes_for +15550105001 | tr '\n' ' ')"
a verify +15550105001 "$code" --device one --server "$second" | grep -q "registered as +15550105001" \
    || fail "a code requested through instance 1 did not verify through instance 2"

b register 555-010-5002 --server "$second" | grep -q "code sent to +15550105002" || fail "register B through instance 2"
code_b="$(codes_for +15550105002)"
[ -n "$code_b" ] || fail "no code delivered for B"
b verify +15550105002 "$code_b" --device two --server "$second" | grep -q "registered as +15550105002" || fail "verify B"

a card set 'name=Ada Lovelace|contacts' --server "$first" | grep -q "version 1" || fail "card set through instance 1"
a share 555-010-5002 --field name --server "$first" >"$work/share" || fail "share through instance 1"
b inbox --server "$second" | grep -qx "  name: Ada Lovelace" || fail "the share made through instance 1 is not in B's inbox on instance 2"

# A logout through instance 1 ends the session on instance 2 within 1 s, although instance 2
# had it cached (its cache trusts an entry for 30 s): the revocation is signalled.
cp "$work/profile-a.json" "$work/profile-a-kept.json"
a card show --server "$second" >/dev/null || fail "card show through instance 2"
a logout --server "$first" >/dev/null || fail "logout through instance 1"
revoked=""
for _ in $(seq 10); do
    if ! CARDEX_PROFILE="$work/profile-a-kept.json" "$bin" card show --server "$second" --ca "$ca" >/dev/null 2>"$work/err"; then
        grep -q "UNAUTHENTICATED" "$work/err" || fail "the revoked session failed otherwise: $(cat "$work/err")"
        revoked=yes
        break
    fi
    sleep 0.1
done
[ -n "$revoked" ] || fail "the session logged out through instance 1 still worked on instance 2 after 1 s"

# Another secret: refused, with the reason; the others keep serving.
printf '%s' "another secret, 32 bytes or more." >"$work/other-secret"
chmod 600 "$work/other-secret"
if "$bin" serve --port 0 --data-dir "$work/data-3" --secret-file "$work/other-secret" >"$work/serve-3.log" 2>&1; then
    fail "an instance with another secret started"
fi
grep -q "not the one this database was first used with" "$work/serve-3.log" || fail "the refusal does not say why: $(cat "$work/serve-3.log")"
b inbox --server "$first" | grep -qx "  name: Ada Lovelace" || fail "instance 1 stopped answering"

echo "instances: OK (two instances on one database: one secret, one delivery per code, one service)"
