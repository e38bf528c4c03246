#!/usr/bin/env bash
# End-to-end check of the `cardex` binary as a person uses it: `cardex serve` on a fresh data
# directory (development certificate), register and verify with the code from the notification
# log, set and show a card; then a second person in a second profile: share with consent (watch
# the event arrive live, inbox, accept, the card follows its owner with only the shared fields),
# decline, revoke, share with everyone; list sessions, log out, then SIGTERM and a clean exit.
#
#   Tests/cli/smoke.sh BIN_DIR     BIN_DIR holds the built `cardex`
set -euo pipefail
bin="${1:?usage: smoke.sh BIN_DIR}/cardex"
work="$(mktemp -d)"
server_pid=""
watch_pid=""
cleanup() {
    [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null || true
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
# The second person, B, with a profile of their own.
cli_b() { CARDEX_PROFILE="$work/profile-b.json" "$bin" "$@" --server "$address" --ca "$work/data/dev-ca.pem"; }
# The last code sent to a number (E.164), waiting up to 5 s for it.
code_for() {
    local code=""
    for _ in $(seq 50); do
        code="$(grep -F "\"to\":\"$1\"" "$work/data/notifications.log" 2>/dev/null | grep -o 'code is [0-9]\{6\}' | tail -1 | grep -o '[0-9]\{6\}')" || true
        [ -n "$code" ] && break
        sleep 0.1
    done
    echo "$code"
}
# Waits up to 10 s for FILE to hold TEXT.
wait_for_text() {
    for _ in $(seq 100); do grep -qF -- "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
# The id in a `share ID with …` line.
share_id_in() { grep -o '^share [0-9a-f-]\{36\}' "$1" | cut -d' ' -f2; }
user_id_in() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["userID"])' "$1"; }

cli register 555-010-4242 | grep -q "code sent to +15550104242" || fail "register"
code="$(code_for +15550104242)"
[ -n "$code" ] || fail "no code in the notification log"
cli verify +15550104242 "$code" --device smoke | grep -q "registered as +15550104242" || fail "verify"
[ "$(stat -c %a "$CARDEX_PROFILE")" = 600 ] || fail "profile file is not private"

cli card set 'name=Ada Lovelace|everyone' 'email:work=ada@example.com|contacts' | grep -q "version 1" || fail "card set"
cli card show | grep -q "email (work): ada@example.com  \[contacts\]" || fail "card show"
cli card show --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["version"]["version"]=="1"' || fail "card show --json"
if cli card set 'email=not-an-address' 2>"$work/err"; then fail "a bad e-mail was accepted"; fi
grep -q "INVALID_ARGUMENT" "$work/err" || fail "bad e-mail error: $(cat "$work/err")"

# B registers; A's fields become contacts-only, so B sees what a share grants and nothing more.
cli_b register 555-010-4243 | grep -q "code sent to +15550104243" || fail "register B"
code_b="$(code_for +15550104243)"
[ -n "$code_b" ] || fail "no code for B in the notification log"
cli_b verify +15550104243 "$code_b" --device smoke-b | grep -q "registered as +15550104243" || fail "verify B"
a_id="$(user_id_in "$CARDEX_PROFILE")"
b_id="$(user_id_in "$work/profile-b.json")"
cli card set 'name=Ada Lovelace|contacts' 'email:work=ada@example.com|contacts' | grep -q "version 2" || fail "card set for sharing"
if cli_b card show +15550104242 2>/dev/null; then fail "B sees A's card before any share"; fi

# A shares the name with B while B watches; the event arrives live.
# (The binary itself in the background, not `cli_b`, so that $! is its pid and not a subshell's.)
CARDEX_PROFILE="$work/profile-b.json" "$bin" watch --count 1 --server "$address" --ca "$work/data/dev-ca.pem" >"$work/watch-b" 2>&1 &
watch_pid=$!
wait_for_text "watching (latest event 0)" "$work/watch-b" || fail "watch did not report ready: $(cat "$work/watch-b")"
cli share 555-010-4243 --field name >"$work/share" || fail "share"
share_id="$(share_id_in "$work/share")"
[ -n "$share_id" ] || fail "share printed no id: $(cat "$work/share")"
for _ in $(seq 100); do kill -0 "$watch_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$watch_pid" 2>/dev/null; then fail "watch --count 1 still running 10 s after the share: $(cat "$work/watch-b")"; fi
wait "$watch_pid" || fail "watch exited with status $?: $(cat "$work/watch-b")"
watch_pid=""
grep -qx "#1 share received from $a_id: $share_id" "$work/watch-b" || fail "watch did not show the share: $(cat "$work/watch-b")"

cli_b inbox >"$work/inbox" || fail "inbox"
grep -q "^$share_id  from user $a_id  received " "$work/inbox" || fail "inbox does not list the share: $(cat "$work/inbox")"
grep -qx "  name: Ada Lovelace" "$work/inbox" || fail "inbox does not show the shared name: $(cat "$work/inbox")"
if grep -q "email" "$work/inbox"; then fail "inbox shows a field that was not shared"; fi
cli_b accept "$share_id" | grep -qx "name: Ada Lovelace" || fail "accept"
cli shares | grep -qx "$share_id  +15550104243  name  accepted" || fail "shares after accept: $(cli shares)"
cli watch --after 0 --count 1 | grep -qx "#1 share accepted by $b_id: $share_id" || fail "A's watch --after 0"

# A changes the card: B holds the new name and still not the e-mail.
cli card set 'name=Ada King|contacts' 'email:work=ada@king.example|contacts' | grep -q "version 3" || fail "card change"
cli_b card show +15550104242 >"$work/card-b" || fail "B cannot read the shared card"
grep -qx "name: Ada King" "$work/card-b" || fail "B does not see the new name: $(cat "$work/card-b")"
if grep -q "email" "$work/card-b"; then fail "B sees a field that was not shared: $(cat "$work/card-b")"; fi
cli_b contacts | grep -qx "name: Ada King" || fail "contacts"
# B's events so far: 1 share received, 2 item accepted, 3 the card on accepting, 4 the change.
cli_b watch --after 3 --count 1 | grep -qx "#4 card updated: $a_id version 3" || fail "watch --after 3"
cli_b watch --after 0 --count 1 --json \
    | python3 -c 'import json,sys; d=json.loads(sys.stdin.readline()); assert d["event"]["shareReceived"]["itemId"]==sys.argv[1]' "$share_id" \
    || fail "watch --json"

# Decline: the item leaves B's inbox, A sees "not accepted", B's view is unchanged.
cli share +15550104243 --field email:work >"$work/share2" || fail "second share"
share2_id="$(share_id_in "$work/share2")"
cli_b inbox | grep -q "^$share2_id  from user $a_id" || fail "inbox does not list the second share"
cli_b decline "$share2_id" | grep -q "declined" || fail "decline"
cli_b inbox | grep -qx "no shares waiting for your answer" || fail "inbox not empty after decline"
cli shares | grep -qx "$share2_id  +15550104243  email:work  not accepted" || fail "shares after decline: $(cli shares)"
if cli_b accept "$share2_id" 2>"$work/err"; then fail "a declined item was accepted"; fi
grep -q "NOT_FOUND" "$work/err" || fail "accepting a declined item: $(cat "$work/err")"
if cli_b card show +15550104242 | grep -q "email"; then fail "B sees the e-mail after declining it"; fi

# Revoke: B can no longer read the card; a share with everyone makes the name public.
cli revoke "$share_id" | grep -q "revoked" || fail "revoke"
if cli_b card show +15550104242 2>"$work/err"; then fail "B still reads A's card after the revoke"; fi
grep -q "NOT_FOUND" "$work/err" || fail "reading a revoked card: $(cat "$work/err")"
cli_b contacts | grep -q "no cards shared with you" || fail "contacts after revoke"
cli_b watch --after 6 --count 1 | grep -qx "#7 card no longer shared with me: $a_id" || fail "watch after revoke"
if cli share 2>/dev/null; then fail "share without recipients was accepted"; fi
cli share --everyone --field name | grep -q "with everyone" || fail "share with everyone"
cli shares | grep -q "  everyone  name  public$" || fail "public share not listed"
cli_b card show +15550104242 | grep -qx "name: Ada King" || fail "public name not readable"

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
