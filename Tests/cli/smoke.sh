#!/usr/bin/env bash
# End-to-end check of the `cardex` binary as a person uses it: `cardex serve` on a fresh data
# directory (development certificate), register and verify with the code from the notification
# log, set and show a card; then a second person in a second profile: share with consent (watch
# the event arrive live, inbox, accept, the card follows its owner with only the shared fields),
# decline, revoke, share with everyone; a group (invite with a permission tag, accept, the
# directory each sees, untag, admin, leave, delete); settings; the cloud address book (vCard and
# JSON upload, download, round trip, replace), mutual contacts, sync and query-update; lookup by
# number and discovery from a list, standard input and a book, until the lookup budget runs out;
# an app password, list sessions, log out, then SIGTERM and a clean exit.
#
#   Tests/cli/smoke.sh BIN_DIR [POSTGRES_URL]
#       BIN_DIR holds the built `cardex`. With POSTGRES_URL (an empty database of its own), the server stores everything there, given the URL
#       in CARDEX_DATABASE_URL; first, a wrong password must stop `cardex serve` with the reason.
set -euo pipefail
bin="${1:?usage: smoke.sh BIN_DIR [POSTGRES_URL]}/cardex"
database="${2:-}"
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

if [ -n "$database" ]; then
    wrong="$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p._replace(netloc=f"{p.username}:wrong@{p.hostname}:{p.port}").geturl())' "$database")"
    if "$bin" serve --port 0 --data-dir "$work/data" --database "$wrong" >"$work/wrong.log" 2>&1; then
        fail "cardex serve started with a wrong database password"
    fi
    grep -q "password authentication failed" "$work/wrong.log" || fail "a wrong database password, not said: $(cat "$work/wrong.log")"
    grep -q ":wrong@" "$work/wrong.log" && fail "the database password was logged"
    export CARDEX_DATABASE_URL="$database"
fi

# The people here have numbers under +1555, an area code that reaches no one: a test prefix.
source "$(dirname "$0")/lib.sh"
start_server --default-region US --test-number-prefix +1555
grep -q "dev-ca.pem" "$work/serve.log" || fail "server did not say where the development certificate is"

export CARDEX_PROFILE="$work/profile.json"
# The second person, B, with a profile of their own.
cli_b() { CARDEX_PROFILE="$work/profile-b.json" "$bin" "$@" --server "$address" --ca "$work/data/dev-ca.pem"; }
# Waits up to 10 s for FILE to hold TEXT.
wait_for_text() {
    for _ in $(seq 100); do grep -qF -- "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
# The id in a `share ID with …` line.
share_id_in() { grep -o '^share [0-9a-f-]\{36\}' "$1" | cut -d' ' -f2; }
user_id_in() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["userID"])' "$1"; }

# Numbers are checked against the numbering plans: no code goes to a number no one can have.
for bad in +999123456789 -15551234567 +15561234567; do
    if "$bin" register --server "$address" --ca "$work/data/dev-ca.pem" -- "$bad" 2>"$work/err"; then fail "register $bad was accepted"; fi
    grep -q "INVALID_ARGUMENT" "$work/err" || fail "register $bad: $(cat "$work/err")"
done
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
cli_b card show "$a_id" | grep -qx "name: Ada King" || fail "public name not readable"
# ...by id: B is a stranger, and A lets only her contacts find her by number.
if cli_b card show +15550104242 2>/dev/null; then fail "a stranger found A by number"; fi

# Groups: A creates one and invites B with a tag, and a number not registered yet. A tagged member
# sees only the members with the same tag, so B sees A (the untagged owner) only once untagged.
cli group create "Smoke family" >"$work/group" || fail "group create"
group_id="$(grep -o '^group [0-9a-f-]\{36\}' "$work/group" | cut -d' ' -f2)"
[ -n "$group_id" ] || fail "group create printed no id: $(cat "$work/group")"
cli group list | grep -qx "$group_id  Smoke family  owner  untagged  1 member" || fail "group list: $(cli group list)"
cli card set 'name=Ada King|contacts' "phone:mobile=+15550104242|groups:$group_id" | grep -q "card saved" || fail "card set for the group"
cli group invite "$group_id" 555-010-4243 +15550104244 --tag friends >"$work/invite" || fail "group invite"
invitation_id="$(grep "^invitation [0-9a-f-]\{36\} for 555-010-4243$" "$work/invite" | cut -d' ' -f2)"
[ -n "$invitation_id" ] || fail "group invite printed no id for B: $(cat "$work/invite")"
grep -q "^invitation [0-9a-f-]\{36\} for +15550104244$" "$work/invite" || fail "no invitation for the unregistered number: $(cat "$work/invite")"
wait_for_text '"to":"+15550104244"' "$work/data/notifications.log" || fail "the unregistered number got no invitation message"
cli_b group invitations >"$work/invitations" || fail "group invitations"
grep -q "^$invitation_id  group Smoke family  from user $a_id  received " "$work/invitations" \
    || fail "B's invitations do not list A's: $(cat "$work/invitations")"
cli_b group accept "$invitation_id" >"$work/accept" || fail "group accept"
grep -qx "joined; group $group_id  Smoke family  member  tag friends  2 members" "$work/accept" || fail "group accept: $(cat "$work/accept")"
grep -q "^no other members you may see" "$work/accept" || fail "a tagged B sees members on accepting: $(cat "$work/accept")"
cli_b group invitations | grep -qx "no group invitations waiting for your answer" || fail "invitation still listed after accepting"
cli group show "$group_id" >"$work/directory-a" || fail "group show for A"
grep -qx "$b_id  +15550104243  member  tag friends" "$work/directory-a" || fail "A's directory: $(cat "$work/directory-a")"
cli_b group show "$group_id" >"$work/directory-b" || fail "group show for B"
grep -q "^no other members you may see" "$work/directory-b" || fail "tagged B sees the untagged owner: $(cat "$work/directory-b")"
if grep -q "$a_id" "$work/directory-b"; then fail "tagged B sees A: $(cat "$work/directory-b")"; fi
cli_b group show "$group_id" --include-self | grep -qx "$b_id  +15550104243  member  tag friends" || fail "group show --include-self"
cli group tag "$group_id" "$b_id" "" | grep -qx "$b_id  +15550104243  member  untagged" || fail "group tag \"\""
cli_b group show "$group_id" >"$work/directory-b" || fail "group show for B after untagging"
grep -qx "$a_id  +15550104242  owner  untagged" "$work/directory-b" || fail "untagged B does not see A: $(cat "$work/directory-b")"
grep -qx "  phone (mobile): +15550104242" "$work/directory-b" || fail "B does not see A's group field: $(cat "$work/directory-b")"
if grep -q "name" "$work/directory-b"; then fail "B sees a field not shown to the group: $(cat "$work/directory-b")"; fi
cli group admin "$group_id" "$b_id" | grep -qx "$b_id  +15550104243  admin  untagged" || fail "group admin"
cli group admin "$group_id" "$b_id" --revoke | grep -qx "$b_id  +15550104243  member  untagged" || fail "group admin --revoke"
if cli_b group delete "$group_id" 2>"$work/err"; then fail "a member deleted the group"; fi
grep -q "PERMISSION_DENIED" "$work/err" || fail "a member deleting the group: $(cat "$work/err")"
if cli group leave "$group_id" 2>"$work/err"; then fail "the owner left the group"; fi
grep -q "FAILED_PRECONDITION" "$work/err" || fail "the owner leaving: $(cat "$work/err")"
cli_b group leave "$group_id" | grep -qx "left group $group_id" || fail "group leave"
cli_b group list | grep -q "^no groups" || fail "B still lists the group after leaving: $(cli_b group list)"
cli group list | grep -qx "$group_id  Smoke family  owner  untagged  1 member" || fail "group list after B left: $(cli group list)"
cli group delete "$group_id" | grep -qx "group $group_id deleted" || fail "group delete"
if cli group show "$group_id" 2>"$work/err"; then fail "a deleted group is still shown"; fi
grep -q "NOT_FOUND" "$work/err" || fail "showing a deleted group: $(cat "$work/err")"

cli settings --auto-send off | grep -qx "auto-send: off" || fail "settings --auto-send off"
cli settings --auto-send on | grep -qx "auto-send: on" || fail "settings --auto-send on"
cli settings | grep -qx "auto-send: on" || fail "settings after --auto-send on: $(cli settings)"

# The cloud address book. A (auto-send on) uploads a vCard file, CRLF line ends, one name folded
# over two lines, one card holding B's number, one without UID; then a JSON file.
printf '%s\r\n' BEGIN:VCARD VERSION:3.0 'FN:Grace Ho' ' pper' 'item1.TEL;TYPE="cell,voice":+15550104243' UID:grace-1 END:VCARD \
    BEGIN:VCARD VERSION:3.0 'N:Babbage;Charles;;;' 'EMAIL;TYPE=work:charles@example.com' 'NOTE:ignored' END:VCARD >"$work/book.vcf"
cat >"$work/book.json" <<'EOF'
[{"client_entry_id": "json-1", "name": "Alan Turing", "phones": ["555-010-9999"]},
 {"id": "json-2", "name": "Mary Somerville", "emails": ["mary@example.com"]}]
EOF
cli book upload "$work/book.vcf" >"$work/upload" || fail "book upload .vcf: $(cat "$work/upload")"
grep -qx "added 2, changed 0, unchanged 0, removed 0" "$work/upload" || fail "book upload .vcf: $(cat "$work/upload")"
grep -qx "my card was sent to +15550104243" "$work/upload" || fail "auto-send did not send A's card to B: $(cat "$work/upload")"
cli book upload "$work/book.vcf" | grep -qx "added 0, changed 0, unchanged 2, removed 0" || fail "vCard ids are not stable across uploads"
cli book upload "$work/book.json" | grep -q "^added 2, changed 0, unchanged 0, removed 0" || fail "book upload .json"
cli book download --output "$work/download.json" | grep -qx "4 entries written to $work/download.json" || fail "book download --output"
python3 - "$work/download.json" <<'EOF' || fail "downloaded book: $(cat "$work/download.json")"
import json, sys
book = {entry["id"]: entry for entry in json.load(open(sys.argv[1]))}
assert len(book) == 4, book
assert book["grace-1"] == {"id": "grace-1", "name": "Grace Hopper", "phones": ["+15550104243"], "emails": []}, book["grace-1"]
assert book["json-1"]["phones"] == ["555-010-9999"] and book["json-2"]["emails"] == ["mary@example.com"], book
[charles] = [entry for id, entry in book.items() if id.startswith("vcard-2-")]
assert charles["name"] == "Charles Babbage" and charles["emails"] == ["charles@example.com"], charles
EOF
cli book download | cmp -s - "$work/download.json" || fail "book download to standard output differs from --output"
cli book upload "$work/download.json" | grep -qx "added 0, changed 0, unchanged 4, removed 0" || fail "re-uploading the downloaded book"
if cli book upload "$work/serve.log" 2>"$work/err"; then fail "a file in no book format was uploaded"; fi
grep -q "cannot tell the format" "$work/err" || fail "uploading a file in no book format: $(cat "$work/err")"

# Mutual contacts: once each has the other's number, B sees A's contacts-only fields.
cli card set 'name=Ada King|contacts' 'email:home=ada@home.example|contacts' | grep -q "card saved" || fail "card set for contacts"
if cli_b card show +15550104242 | grep -q "email"; then fail "B sees a contacts field before being a contact"; fi
echo '[{"id": "ada", "name": "Ada King", "phones": ["+15550104242"]}]' >"$work/book-b.json"
cli_b book upload "$work/book-b.json" | grep -q "^added 1, changed 0, unchanged 0, removed 0" || fail "B's book upload"
cli_b card show +15550104242 >"$work/card-b" || fail "B cannot read A's card as a mutual contact"
grep -qx "email (home): ada@home.example" "$work/card-b" || fail "B does not see A's contacts field: $(cat "$work/card-b")"

# Sync: B's full sync holds A's card; after A changes it, a sync from the token shows the change,
# and the next one (from the token kept in the profile) nothing.
cli_b sync --full >"$work/sync" || fail "sync --full"
grep -q "^user $a_id  version [0-9]*$" "$work/sync" || fail "full sync does not hold A's card: $(cat "$work/sync")"
grep -qx "  email (home): ada@home.example" "$work/sync" || fail "full sync does not show A's fields: $(cat "$work/sync")"
sync_token="$(grep '^next token: ' "$work/sync" | cut -d' ' -f3)"
[ -n "$sync_token" ] || fail "sync printed no token: $(cat "$work/sync")"
cli card set 'name=Ada King|contacts' 'email:home=ada@new.example|contacts' | grep -q "card saved" || fail "card change for sync"
cli_b sync --token "$sync_token" >"$work/sync" || fail "sync --token"
grep -q "^user $a_id  version [0-9]*$" "$work/sync" || fail "sync --token does not show A's change: $(cat "$work/sync")"
grep -qx "  email (home): ada@new.example" "$work/sync" || fail "sync --token does not show the new field: $(cat "$work/sync")"
cli_b sync >"$work/sync" || fail "sync from the profile's token"
grep -qx "nothing changed" "$work/sync" || fail "sync from the profile's token: $(cat "$work/sync")"
if cli_b sync --token not-a-token 2>"$work/err"; then fail "a malformed sync token was accepted"; fi
grep -q "cardex sync --full" "$work/err" || fail "a malformed sync token: $(cat "$work/err")"

# Query-update: without an etag A's card is UPDATED; with the etag it gave, NOT_MODIFIED.
cli_b query-update "$a_id" +15550109998 '+15550104242=Ada King' >"$work/query" || fail "query-update"
etag="$(grep "^$a_id: UPDATED user $a_id version [0-9]* etag " "$work/query" | awk '{print $NF}')"
[ -n "$etag" ] || fail "query-update without an etag: $(cat "$work/query")"
grep -qx "  email (home): ada@new.example" "$work/query" || fail "query-update does not show A's fields: $(cat "$work/query")"
grep -qx "+15550109998: NO_RESULT" "$work/query" || fail "query-update of an unknown number: $(cat "$work/query")"
grep -q "^+15550104242=Ada King: UPDATED user $a_id " "$work/query" || fail "query-update by number and name: $(cat "$work/query")"
cli_b query-update "$a_id@$etag" | grep -qx "$a_id@$etag: NOT_MODIFIED" || fail "query-update with the current etag"

# Lookup and discovery: B, a mutual contact of A, finds A by number, national digits or E.164;
# an unregistered number is not found; a list with A, an unregistered number and junk finds A.
cli_b lookup 555-010-4242 >"$work/lookup" || fail "lookup: $(cat "$work/lookup")"
grep -qx "user $a_id  +15550104242" "$work/lookup" || fail "lookup does not name A and the number: $(cat "$work/lookup")"
grep -qx "name: Ada King" "$work/lookup" || fail "lookup does not show A's public name: $(cat "$work/lookup")"
grep -qx "email (home): ada@new.example" "$work/lookup" || fail "lookup does not show A's contacts field: $(cat "$work/lookup")"
cli_b lookup +15550104242 --json \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["userId"]==sys.argv[1] and d["phone"]=="+15550104242", d' "$a_id" \
    || fail "lookup --json"
if cli_b lookup +15550109997 >"$work/out" 2>"$work/err"; then fail "an unregistered number was found: $(cat "$work/out")"; fi
grep -q "no one you may see has +15550109997" "$work/err" || fail "looking up an unregistered number: $(cat "$work/err")"
printf '%s\n' '# A, a number nobody has, and junk' +15550104242 '' +15550109997 'not a number' >"$work/numbers.txt"
cli_b discover "$work/numbers.txt" >"$work/discover" || fail "discover: $(cat "$work/discover")"
grep -qx "+15550104242  user $a_id  Ada King" "$work/discover" || fail "discover does not list A: $(cat "$work/discover")"
grep -qx "1 of 3 numbers found" "$work/discover" || fail "discover summary: $(cat "$work/discover")"
[ "$(wc -l <"$work/discover")" -eq 2 ] || fail "discover lists numbers it did not find: $(cat "$work/discover")"
cli_b discover - --json <"$work/numbers.txt" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [(f["phone"], f["userId"]) for f in d["found"]]==[("+15550104242", sys.argv[1])], d' "$a_id" \
    || fail "discover - --json"
cli_b discover "$work/book-b.json" | grep -qx "1 of 1 number found" || fail "discover from a book file"
# 2,000 numbers new to B pass B's burst in the second call of 1,000: the budget is spent, and the
# command says how long to wait.
seq -f '+1555020%04g' 0 1999 >"$work/many.txt"
if cli_b discover "$work/many.txt" >"$work/out" 2>"$work/err"; then fail "discovery past the budget passed: $(tail -1 "$work/out")"; fi
grep -q "stopped after 1000 of 2000 numbers, 0 found" "$work/err" || fail "discovery past the budget: $(cat "$work/err")"
grep -q "RESOURCE_EXHAUSTED: .*(try again in [0-9]* \(second\|minute\|hour\)" "$work/err" || fail "no wait after a spent budget: $(cat "$work/err")"

cli book upload "$work/book.json" --replace | grep -qx "added 0, changed 0, unchanged 2, removed 2" || fail "book upload --replace"
cli app-password create --device "Contacts on Mac" >"$work/app-password" || fail "app-password create: $(cat "$work/app-password")"
grep -Eq '^password: +[a-z2-7]{4}(-[a-z2-7]{4}){4}$' "$work/app-password" || fail "app-password create: $(cat "$work/app-password")"
grep -Eq '^user name: \+1555' "$work/app-password" || fail "app-password user name: $(cat "$work/app-password")"
cli sessions | grep -q "smoke" || fail "sessions"
cli sessions | grep -q "Contacts on Mac  app password made" || fail "sessions: no app password: $(cli sessions)"
cli logout | grep -q "signed out" || fail "logout"
if cli card show 2>/dev/null; then fail "still signed in after logout"; fi

kill -TERM "$server_pid"
for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then fail "server still running 10 s after SIGTERM"; fi
wait "$server_pid" || fail "server exited with status $?"
server_pid=""
grep -q "stopped" "$work/serve.log" || fail "server did not log a clean stop"
# Stopping writes what it holds (lookup budgets; on PostgreSQL its presence): nothing may fail then.
if sed -n '/shutting down/,$p' "$work/serve.log" | grep -E " (warning|error|critical) "; then
    fail "the server logged a problem while stopping: $(sed -n '/shutting down/,$p' "$work/serve.log")"
fi
# Health and logs for operators: `cardex health`; `--log-format json --log-level debug` writes one
# JSON object per line, and a line per call carrying its request id.
# The same secret as the first server: on PostgreSQL both use one database, which knows its secret.
"$bin" serve --port 0 --data-dir "$work/data-json" --secret-file "$work/data/code-hashing.key" --default-region US \
    --log-format json --log-level debug >"$work/json.log" 2>&1 &
server_pid=$!
json_address=""
for _ in $(seq 100); do
    json_address="$(python3 -c 'import json,sys
for line in open(sys.argv[1]):
    entry = json.loads(line)
    if entry.get("message") == "listening": print(entry["address"])' "$work/json.log" 2>/dev/null || true)"
    [ -n "$json_address" ] && break
    sleep 0.1
done
[ -n "$json_address" ] || fail "the server with --log-format json did not log its address as JSON: $(cat "$work/json.log")"
"$bin" health --server "$json_address" --ca "$work/data-json/dev-ca.pem" | grep -qx SERVING || fail "cardex health"
if "$bin" health --server "$json_address" --ca "$work/data-json/dev-ca.pem" --service cardex.v1.NoSuch >"$work/out" 2>&1; then
    fail "cardex health passed for an unknown service: $(cat "$work/out")"
fi
kill -TERM "$server_pid"
for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
wait "$server_pid" || fail "the server with --log-format json exited with status $?"
server_pid=""
python3 - "$work/json.log" <<'PY' || fail "the JSON log: $(cat "$work/json.log")"
import json, re, sys
entries = [json.loads(line) for line in open(sys.argv[1])]
assert all({"time", "level", "label", "message"} <= entry.keys() for entry in entries), entries
calls = [e for e in entries if e["message"] == "call ended" and e.get("method") == "/framedrpc.health.v1.Health/Check"]
assert len(calls) == 2, calls
assert all(re.fullmatch("[0-9a-f]{16}", e["request_id"]) for e in calls), calls
assert any(e["message"] == "stopped" for e in entries), entries[-3:]
assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["time"]) for e in entries), entries[0]
PY

echo "cli smoke: ok${database:+ (PostgreSQL)}"
