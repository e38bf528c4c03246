#!/usr/bin/env bash
# Two `cardex serve` processes on one PostgreSQL database, as one service (issue 17, the parts
# built so far): both use one server secret (--secret-file) and one certificate, and both run
# the notification worker on the shared outbox with one notification log.
# - A code requested through instance 1 verifies through instance 2.
# - Each code is delivered once, although both workers look at the outbox.
# - What a person does through one instance is what the other answers (a card set through 1,
#   shared with someone signed in through 2, is in their inbox on 2).
# - A lookup budget (--lookup-burst 3) holds for both instances together.
# - A stream open on instance 2 sees live what is stored through instance 1, and the share is
#   pushed without a notice (the person counts as online on the other instance).
# - Instance 2 is killed with SIGKILL: once its time runs out (--instance-expiry 2) a share
#   comes with a notice, and the stream resumed on instance 1 after its last sequence number
#   gets exactly the events it missed. Instance 2 is started again.
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
    local n=$1 before
    shift
    # A restarted instance appends to its log: its address is the first one after those before.
    before="$(grep -c 'address=' "$work/serve-$n.log" 2>/dev/null || true)"
    "$bin" serve --port 0 --data-dir "$work/data-$n" --secret-file "$work/secret" --notification-log "$work/notifications.log" \
        --default-region US --test-number-prefix +1555 --lookup-burst 3 --lookup-refill-per-hour 0 --instance-expiry 2 \
        "$@" >>"$work/serve-$n.log" 2>&1 &
    pids+=($!)
    instance_pid=$!
    address=""
    for _ in $(seq 100); do
        if [ "$(grep -c 'address=' "$work/serve-$n.log" 2>/dev/null || true)" -gt "${before:-0}" ]; then
            address="$(grep -o 'address=[0-9.]*:[0-9]*' "$work/serve-$n.log" | tail -1 | cut -d= -f2)"
            return 0
        fi
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
second_pid="$instance_pid"
ca="$work/data-1/dev-ca.pem"

notification_log="$work/notifications.log"
. "$(dirname "$0")/notification-log.sh"
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

# B's lookup budget holds 3 new numbers, for the two instances together.
lookup_fails() {  # NUMBER SERVER WHAT-THE-ERROR-SAYS
    if b lookup "$1" --server "$2" >"$work/out" 2>"$work/err"; then fail "looking up $1 found someone: $(cat "$work/out")"; fi
    grep -q "$3" "$work/err" || fail "looking up $1 through $2 did not fail with $3: $(cat "$work/err")"
}
lookup_fails 555-010-5101 "$first" "no one you may see"
lookup_fails 555-010-5102 "$first" "no one you may see"
lookup_fails 555-010-5103 "$second" "no one you may see"
lookup_fails 555-010-5104 "$second" "RESOURCE_EXHAUSTED"
lookup_fails 555-010-5105 "$first" "RESOURCE_EXHAUSTED"

# C (who has had no notice yet: one goes to a number a day) watches on instance 2; A shares
# through instance 1. The stream sees it live, and C, online on instance 2, is sent no notice.
c() { CARDEX_PROFILE="$work/profile-c.json" "$bin" "$@" --ca "$ca"; }
c register 555-010-5003 --server "$second" | grep -q "code sent to +15550105003" || fail "register C through instance 2"
code_c="$(codes_for +15550105003)"
[ -n "$code_c" ] || fail "no code delivered for C"
c verify +15550105003 "$code_c" --device three --server "$second" | grep -q "registered as +15550105003" || fail "verify C"
c watch --server "$second" >"$work/watch.out" 2>"$work/watch.err" &
watch_pid=$!
pids+=($watch_pid)
for _ in $(seq 50); do grep -q "^watching (latest event" "$work/watch.out" && break; sleep 0.1; done
grep -q "^watching (latest event" "$work/watch.out" || fail "C's stream on instance 2 did not open: $(cat "$work/watch.err")"
sent_to_c="$(messages_to +15550105003)"
a share 555-010-5003 --field name --server "$first" >/dev/null || fail "share with C through instance 1"
for _ in $(seq 50); do grep -q "share received" "$work/watch.out" && break; sleep 0.1; done
grep -q "share received" "$work/watch.out" || fail "C's stream on instance 2 did not see the share made through 1: $(cat "$work/watch.out")"
sleep 1  # time for a notice to be delivered, if one were sent
[ "$(messages_to +15550105003)" = "$sent_to_c" ] || fail "C, online on instance 2, was sent a notice for the share made through 1"

# Instance 2 is killed. Its stream ends; once its time runs out (2 s), C counts as offline: a
# share comes with a notice. C resumes on instance 1 after the last event it saw, and gets
# exactly the two events it missed (the earlier share withdrawn, the new one received).
last_seq="$(grep -o '^#[0-9]*' "$work/watch.out" | tail -1 | tr -d '#')"
[ -n "$last_seq" ] || fail "the stream printed no event: $(cat "$work/watch.out")"
disown "$second_pid"  # so that bash does not report the kill
kill -KILL "$second_pid"
for _ in $(seq 50); do kill -0 "$watch_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$watch_pid" 2>/dev/null && fail "C's stream still ran 5 s after its instance was killed"
sleep 2.5
a share 555-010-5003 --field name --server "$first" >/dev/null || fail "share through instance 1 after instance 2 was killed"
for _ in $(seq 50); do [ "$(messages_to +15550105003)" -gt "$sent_to_c" ] && break; sleep 0.1; done
[ "$(messages_to +15550105003)" -gt "$sent_to_c" ] || fail "2.5 s after its instance was killed C still counted as online: no notice"
c watch --after "$last_seq" --count 2 --server "$first" >"$work/resumed.out" 2>&1 || fail "resuming on instance 1: $(cat "$work/resumed.out")"
[ "$(grep -o '^#[0-9]*' "$work/resumed.out" | tr '\n' ' ')" = "#$((last_seq + 1)) #$((last_seq + 2)) " ] \
    || fail "the stream resumed after #$last_seq did not get exactly the two events after it: $(cat "$work/resumed.out")"
sed -n 1p "$work/resumed.out" | grep -q "withdrawn" && sed -n 2p "$work/resumed.out" | grep -q "share received" \
    || fail "the resumed stream's events are not the withdrawal and the new share: $(cat "$work/resumed.out")"
start_instance 2 --cert "$work/data-1/dev-server.pem" --key "$work/data-1/dev-server-key.pem"
second="$address"

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

echo "instances: OK (two instances on one database: one secret, one delivery per code, one budget, live events and presence across, a killed instance's stream resumed on the other)"
