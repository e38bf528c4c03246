#!/usr/bin/env bash
# Two `cardex serve` processes on one PostgreSQL database behind HAProxy (TCP mode), as one
# service (issue 17): clients know only the balancer's address.
# - Register, verify, `card set` and `card show` work through the balancer.
# - Draining: instance 1 is set to `drain` on HAProxy's admin socket, then gets SIGTERM, while
#   a loop of calls runs through the balancer; every call of the loop succeeds.
# - SIGKILL: instance 1 comes back on its port and HAProxy sees it UP; instance 2 is killed
#   with SIGKILL; calls through the balancer succeed again within 10 s (the time is printed).
# HAProxy runs in the foreground as a child of this script, on a configuration in a temporary
# directory; the instances listen on ports chosen up front, so the configuration can name them
# and instance 1 can come back on the same port.
#
#   Tests/cli/balanced.sh BIN_DIR POSTGRES_URL
#       BIN_DIR holds the built `cardex`; POSTGRES_URL names an empty database of its own.
#       Needs haproxy (scripts/bootstrap.sh installs Debian's) and python3.
set -euo pipefail
bin="${1:?usage: balanced.sh BIN_DIR POSTGRES_URL}/cardex"
export CARDEX_DATABASE_URL="${2:?usage: balanced.sh BIN_DIR POSTGRES_URL}"
# haproxy is in /usr/sbin, which a user's PATH on Debian lacks.
haproxy="$(command -v haproxy || echo /usr/sbin/haproxy)"
[ -x "$haproxy" ] || { echo "balanced: haproxy not found: run scripts/bootstrap.sh (Debian's haproxy)" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "balanced: python3 not found" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
serve_pid=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "balanced: FAILED: $*" >&2
    for log in "$work"/serve-*.log "$work"/haproxy.log; do
        [ -f "$log" ] && sed "s|^|  $(basename "$log" .log): |" "$log" >&2
    done
    exit 1
}

# Seconds since the epoch, with microseconds.
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Three free loopback ports (the balancer's, instance 1's, instance 2's), bound at once so they differ.
read -r lb_port port_1 port_2 < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))')
balancer="127.0.0.1:$lb_port"

# Starts instance N on its port (its own data directory, log serve-LABEL.log) with extra options;
# returns once it reports its address.
start_instance() {
    local n=$1 label=$2 port
    shift 2
    port="port_$n"
    "$bin" serve --port "${!port}" --data-dir "$work/data-$n" --secret-file "$work/secret" \
        --notification-log "$work/notifications.log" --default-region US --test-number-prefix +1555 \
        "$@" >"$work/serve-$label.log" 2>&1 &
    pids+=($!)
    serve_pid[n]=$!
    for _ in $(seq 100); do
        grep -q "address=127.0.0.1:${!port}" "$work/serve-$label.log" && return 0
        kill -0 "${serve_pid[n]}" 2>/dev/null || fail "instance $n exited at start (serve-$label.log)"
        sleep 0.1
    done
    fail "instance $n did not report its address within 10 s (serve-$label.log)"
}

# Waits up to SECONDS for the child PID to exit, then sets $status to its exit status.
wait_exit() {
    local pid=$1 seconds=$2 what=$3
    for _ in $(seq $(( seconds * 10 ))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && fail "$what did not exit within $seconds s"
    status=0
    wait "$pid" || status=$?
}

# One command on HAProxy's admin socket; prints the answer.
admin() {
    python3 - "$work/admin.sock" "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
answer = b""
while chunk := s.recv(65536):
    answer += chunk
sys.stdout.write(answer.decode())
EOF
}
# Field F of server S in `show stat` (CSV: 5 scur, 8 stot, 18 status).
stat_of() { admin "show stat" | awk -F, -v s="$1" -v f="$2" '$1 == "cardex" && $2 == s { print $f }'; }
# Waits up to 10 s for server S's status to be exactly STATUS.
wait_status() {
    for _ in $(seq 100); do
        [ "$(stat_of "$1" 18)" = "$2" ] && return 0
        sleep 0.1
    done
    fail "HAProxy did not report $1 $2 within 10 s (it reports: $(stat_of "$1" 18))"
}

# Instance 1 makes the secret and a development certificate (for localhost, 127.0.0.1 and ::1,
# so it names the balancer's address too); instance 2 uses both.
start_instance 1 1
cert=(--cert "$work/data-1/dev-server.pem" --key "$work/data-1/dev-server-key.pem")
start_instance 2 2 "${cert[@]}"
ca="$work/data-1/dev-ca.pem"

# The balancer: TCP passthrough (the instances terminate TLS). The health check is a TLS
# handshake offering the protocol's ALPN id, so a port that accepts but does not speak TLS is
# not taken as up. Timeouts: a Subscribe stream may be silent up to the server's 60 s keepalive
# interval, so client and server timeouts are well above it. A connection refused is retried
# on the other server at once (redispatch on every retry).
cat >"$work/haproxy.cfg" <<EOF
global
    stats socket $work/admin.sock level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 10m
    timeout server 10m
    timeout check 1s
    retries 3
    option redispatch 1
frontend cardex_in
    bind $balancer
    default_backend cardex
backend cardex
    balance leastconn
    default-server check check-ssl verify none check-alpn framedrpc/1 inter 500ms fall 2 rise 2
    server one 127.0.0.1:$port_1
    server two 127.0.0.1:$port_2
EOF
"$haproxy" -c -q -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 || fail "haproxy refused the configuration"
"$haproxy" -db -f "$work/haproxy.cfg" >>"$work/haproxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/admin.sock" ] && break; sleep 0.1; done
[ -S "$work/admin.sock" ] || fail "haproxy did not open its admin socket within 5 s"
wait_status one UP
wait_status two UP

notification_log="$work/notifications.log"
. "$(dirname "$0")/notification-log.sh"
# A call through the balancer, as person A.
a() { CARDEX_PROFILE="$work/profile-a.json" "$bin" "$@" --server "$balancer" --ca "$ca"; }

a register 555-010-6001 | grep -q "code sent to +15550106001" || fail "register through the balancer"
code="$(codes_for +15550106001)"
[ -n "$code" ] || fail "no code delivered"
a verify +15550106001 "$code" --device one | grep -q "registered as +15550106001" || fail "verify through the balancer"
a card set 'name=Ada Lovelace|contacts' | grep -q "version 1" || fail "card set through the balancer"
for i in 1 2 3 4; do
    a card show | grep -q "Ada Lovelace" || fail "card show $i through the balancer"
done
[ "$(stat_of one 8)" -gt 0 ] && [ "$(stat_of two 8)" -gt 0 ] || fail "the balancer did not use both instances"

# Draining: 40 calls in a row through the balancer; meanwhile instance 1 is set to drain (no new
# connections), its open connections end, and it gets SIGTERM. Every call must succeed. SIGTERM
# waits for the balancer to report no connection to instance 1: a stopping server lets open calls
# finish but closes a connection with none, such as one the balancer opened just before the drain
# whose call is not sent yet.
loop_calls=40
served_before="$(stat_of one 8)"
(
    for i in $(seq "$loop_calls"); do
        if a card show >/dev/null 2>"$work/loop-err-$i"; then echo "$i ok"; else echo "$i failed"; fi
    done
) >"$work/loop.out" &
loop_pid=$!
pids+=($loop_pid)
for _ in $(seq 50); do [ "$(wc -l <"$work/loop.out")" -ge 5 ] && break; sleep 0.1; done
served_1="$(stat_of one 8)"
admin "set server cardex/one state drain" >/dev/null
[ "$(stat_of one 18)" = DRAIN ] || fail "instance 1 is not draining: $(stat_of one 18)"
for _ in $(seq 100); do [ "$(stat_of one 5)" = 0 ] && break; sleep 0.1; done
[ "$(stat_of one 5)" = 0 ] || fail "instance 1 still had connections 10 s after the drain began"
kill -TERM "${serve_pid[1]}"
term_at="$(now)"
wait_exit "${serve_pid[1]}" 12 "instance 1, after SIGTERM (10 s grace, 1 s TLS close),"
[ "$status" = 0 ] || fail "instance 1 exited with status $status after SIGTERM"
term_exit="$(elapsed "$term_at" "$(now)")"
wait_exit "$loop_pid" 30 "the loop of calls"
grep -q failed "$work/loop.out" && fail "calls failed during the drain: $(grep failed "$work/loop.out" | tr '\n' ' ') $(cat "$work"/loop-err-* | sort -u)"
[ "$(grep -c ok "$work/loop.out")" = "$loop_calls" ] || fail "the loop made $(wc -l <"$work/loop.out") calls, not $loop_calls"
[ "$served_1" -gt "$served_before" ] || fail "the loop made no call through instance 1 before the drain"
wait_status one "DOWN"
served_2="$(stat_of two 8)"
for i in 1 2 3; do
    a card show | grep -q "Ada Lovelace" || fail "card show $i after instance 1 stopped"
done
[ "$(stat_of two 8)" -ge $(( served_2 + 3 )) ] || fail "the calls after the drain did not go to instance 2"

# SIGKILL: instance 1 back on its port, ready again on the balancer; instance 2 killed. Calls
# through the balancer must succeed again within 10 s.
start_instance 1 1-again "${cert[@]}"
admin "set server cardex/one state ready" >/dev/null
wait_status one UP
disown "${serve_pid[2]}"  # so that bash does not print "Killed" for it
kill -KILL "${serve_pid[2]}"
killed_at="$(now)"
for _ in $(seq 50); do kill -0 "${serve_pid[2]}" 2>/dev/null || break; sleep 0.1; done
kill -0 "${serve_pid[2]}" 2>/dev/null && fail "instance 2 still ran 5 s after SIGKILL"
recovered=""
failures=0
deadline=$(( SECONDS + 10 ))
while [ "$SECONDS" -lt "$deadline" ]; do
    if a card show 2>"$work/err-after-kill" | grep -q "Ada Lovelace"; then
        recovered="$(elapsed "$killed_at" "$(now)")"
        break
    fi
    failures=$(( failures + 1 ))
    sleep 0.1
done
[ -n "$recovered" ] || fail "no call succeeded through the balancer within 10 s of SIGKILL: $(cat "$work/err-after-kill")"
wait_status two DOWN
marked_down="$(elapsed "$killed_at" "$(now)")"
for i in 1 2 3; do
    a card show | grep -q "Ada Lovelace" || fail "card show $i after instance 2 was killed"
done

echo "balanced: OK (two instances behind HAProxy: $loop_calls calls through a drain and SIGTERM without a failure," \
    "instance 1 exited ${term_exit} s after SIGTERM; after SIGKILL of instance 2 the first call succeeded" \
    "${recovered} s later ($failures failed before it), HAProxy marked it DOWN after ${marked_down} s)"
