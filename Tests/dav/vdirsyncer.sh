#!/usr/bin/env bash
# CardDAV with a real client: vdirsyncer (pinned in Tests/dav/requirements.txt) against
# `cardex serve --carddav 0` over HTTPS, trusting the development CA. A shares a card with B and
# B accepts; A's group takes B in; B uploads a small book and makes an app password. vdirsyncer,
# signed in with it, finds B's address books from the server's root (book, contacts, the group)
# and copies them into local folders of .vcf files: contacts holds A's card as shared, book
# exactly B's entries, the group A's card as the group sees it. Back the other way: a card edited,
# one added (its UID is the new entry's id) and one deleted in the local book reach the server's
# book (`cardex book download`). A's card changed on the server reaches the local contacts.
#
# contacts and the group collections are read-only (a write there is 403). B's config is what a
# user would write for that: one pair for the book, read-write, and one for the shared address
# books whose server side is `read_only = true` with `partial_sync = "revert"`: a local edit there
# is not sent, and a later sync puts the server's card back. (A single read-write
# pair over every collection would send the edit, get 403 and fail every sync after it until the
# local file is restored by hand.)
#
#   Tests/dav/vdirsyncer.sh BIN_DIR
#       BIN_DIR holds the built `cardex`; Python needs vdirsyncer and vobject (scripts/bootstrap.sh --python).
set -euo pipefail
bin="${1:?usage: vdirsyncer.sh BIN_DIR}/cardex"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "dav vdirsyncer: FAILED: $*" >&2
    [ -f "$work/sync.log" ] && sed 's/^/  vdirsyncer: /' "$work/sync.log" >&2
    [ -f "$work/serve.log" ] && sed 's/^/  serve: /' "$work/serve.log" >&2
    exit 1
}
command -v vdirsyncer >/dev/null || fail "no vdirsyncer: run scripts/bootstrap.sh --python"
python3 -c 'import vobject' 2>/dev/null || fail "Python has no vobject: run scripts/bootstrap.sh --python"

source "$(dirname "$0")/../cli/lib.sh"
start_server --carddav 0 --default-region US --test-number-prefix +1555
carddav="$(grep -o 'carddav=[^ ]*' "$work/serve.log" | head -1 | cut -d= -f2)"
carddav_port="$(echo "$carddav" | grep -o ':[0-9]*/*$' | tr -d :/)"
[ -n "$carddav_port" ] || fail "the server did not report its CardDAV address"

cli_a() { CARDEX_PROFILE="$work/profile-a.json" cli "$@"; }
cli_b() { CARDEX_PROFILE="$work/profile-b.json" cli "$@"; }
sign_in() {  # sign_in a|b NUMBER
    "cli_$1" register "$2" | grep -q "code sent to $2" || fail "register $2"
    local code
    code="$(code_for "$2")"
    [ -n "$code" ] || fail "no code for $2 in the notification log"
    "cli_$1" verify "$2" "$code" --device "dav-$1" | grep -q "registered as $2" || fail "verify $2"
}
sign_in a +15550104601
sign_in b +15550104602
a_id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["userID"])' "$work/profile-a.json")"

# A's group; A's card: name and number for contacts (B, once the share is accepted), the e-mail
# for the group only. A shares name and number with B, B accepts; A invites B, B accepts.
cli_a group create "DAV family" >"$work/group" || fail "group create"
group_id="$(grep -o '^group [0-9a-f-]\{36\}' "$work/group" | cut -d' ' -f2)"
[ -n "$group_id" ] || fail "group create printed no id: $(cat "$work/group")"
cli_a card set 'name=Ada Lovelace|contacts' 'phone:mobile=+15550104601|contacts' "email:work=ada@family.example|groups:$group_id" \
    | grep -q "card saved" || fail "card set"
cli_a share +15550104602 --field name --field phone:mobile >"$work/share" || fail "share"
share_id="$(grep -o '^share [0-9a-f-]\{36\}' "$work/share" | cut -d' ' -f2)"
cli_b accept "$share_id" | grep -qx "name: Ada Lovelace" || fail "accept"
cli_a group invite "$group_id" +15550104602 >"$work/invite" || fail "group invite"
invitation_id="$(grep -o '^invitation [0-9a-f-]\{36\}' "$work/invite" | cut -d' ' -f2)"
cli_b group accept "$invitation_id" | grep -q "^joined; group $group_id" || fail "group accept"

cat >"$work/book.json" <<'EOF'
[{"id": "grace", "name": "Grace Hopper", "phones": ["555-010-9001"]},
 {"id": "alan", "name": "Alan Turing", "phones": ["555-010-9002"], "emails": ["alan@example.com"]},
 {"id": "mary", "name": "Mary Somerville", "emails": ["mary@example.com"]}]
EOF
cli_b book upload "$work/book.json" | grep -q "^added 3, changed 0, unchanged 0, removed 0" || fail "book upload"
cli_b app-password create --device vdirsyncer >"$work/app" || fail "app-password create"
username="$(sed -n 's/^user name: *//p' "$work/app")"
password="$(sed -n 's/^password: *//p' "$work/app")"
[ "$username" = +15550104602 ] && [ -n "$password" ] || fail "app-password create: $(cat "$work/app")"

# B's vdirsyncer: both pairs find the address books from the server's root (/.well-known/carddav
# and current-user-principal); the shared ones are read-only on the server, so their pair is too.
vdir="$work/vdir"
mkdir -p "$vdir"
cat >"$work/config" <<EOF
[general]
status_path = "$work/status/"

[pair cardex_book]
a = "cardex_book_remote"
b = "cardex_book_local"
collections = ["book"]
conflict_resolution = "a wins"
implicit = "create"

[pair cardex_shared]
a = "cardex_shared_remote"
b = "cardex_shared_local"
collections = ["contacts", "group-$group_id"]
conflict_resolution = "a wins"
implicit = "create"
partial_sync = "revert"

[storage cardex_book_remote]
type = "carddav"
url = "https://localhost:$carddav_port/"
verify = "$work/data/dev-ca.pem"
username = "$username"
password = "$password"

[storage cardex_shared_remote]
type = "carddav"
url = "https://localhost:$carddav_port/"
verify = "$work/data/dev-ca.pem"
username = "$username"
password = "$password"
read_only = true

[storage cardex_book_local]
type = "filesystem"
path = "$vdir/"
fileext = ".vcf"

[storage cardex_shared_local]
type = "filesystem"
path = "$vdir/"
fileext = ".vcf"
EOF
vds() { vdirsyncer --config "$work/config" "$@" >"$work/sync.log" 2>&1; }
# discover lists what the server has; implicit = "create" makes the local folders without asking.
vds discover || fail "vdirsyncer discover"
for collection in book contacts "group-$group_id"; do
    grep -qF -- "- \"$collection\"" "$work/sync.log" || fail "discover did not list the server's $collection"
done
vds sync || fail "first vdirsyncer sync"

# The local folders, read with vobject: FN, TEL and EMAIL of each card by UID, and file names.
# read_folder FOLDER prints one JSON object {uid: [file, fn, [tel], [email]]}.
read_folder() {
    python3 - "$1" <<'EOF'
import json, os, sys, vobject
folder = sys.argv[1]
cards = {}
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), encoding="utf-8") as file:
        [card] = list(vobject.readComponents(file.read()))
    values = lambda key: [line.value for line in card.contents.get(key, [])]
    [uid] = values("uid")
    [fn] = values("fn")
    assert uid not in cards, f"{uid} twice"
    cards[uid] = [name, fn, [v.removeprefix("tel:") for v in values("tel")], values("email")]
print(json.dumps(cards, sort_keys=True))
EOF
}
expect_folder() {  # expect_folder FOLDER EXPECTED_JSON
    local got
    got="$(read_folder "$1")" || fail "cannot read $1"
    python3 -c 'import json,sys; sys.exit(json.loads(sys.argv[1]) != json.loads(sys.argv[2]))' "$got" "$2" \
        || fail "$1 holds $got; expected $2"
}
[ "$(ls "$vdir" | sort | tr '\n' ' ')" = "book contacts group-$group_id " ] || fail "local folders: $(ls "$vdir")"
expect_folder "$vdir/contacts" \
    "{\"$a_id\": [\"$a_id.vcf\", \"Ada Lovelace\", [\"+15550104601\"], [\"ada@family.example\"]]}"
expect_folder "$vdir/book" '{
    "alan": ["alan.vcf", "Alan Turing", ["555-010-9002"], ["alan@example.com"]],
    "grace": ["grace.vcf", "Grace Hopper", ["555-010-9001"], []],
    "mary": ["mary.vcf", "Mary Somerville", [], ["mary@example.com"]]}'
# The group sees only the e-mail, and the number its directory shows; the e-mail names A there.
expect_folder "$vdir/group-$group_id" \
    "{\"$a_id\": [\"$a_id.vcf\", \"ada@family.example\", [\"+15550104601\"], [\"ada@family.example\"]]}"

# And back: in the local book, a name changed, a card added (its UID names the entry), one deleted.
sed -i 's/^FN:Alan Turing\r\{0,1\}$/FN:Alan Mathison Turing\r/' "$vdir/book/alan.vcf"
grep -q "^FN:Alan Mathison Turing" "$vdir/book/alan.vcf" || fail "could not edit alan.vcf: $(cat "$vdir/book/alan.vcf")"
printf '%s\r\n' BEGIN:VCARD VERSION:3.0 UID:lin-wei-1 'FN:Lin Wei' 'N:Wei;Lin;;;' 'TEL;TYPE=CELL:+1 555 010 9010' \
    'EMAIL;TYPE=HOME:lin@example.com' END:VCARD >"$vdir/book/new-card.vcf"
rm "$vdir/book/mary.vcf"
vds sync || fail "vdirsyncer sync of local changes"
grep -q "Copying (updating) item alan to cardex_book_remote/book" "$work/sync.log" || fail "the edit was not sent"
grep -q "Copying (uploading) item lin-wei-1 to cardex_book_remote/book" "$work/sync.log" || fail "the new card was not sent"
grep -q "Deleting item mary from cardex_book_remote/book" "$work/sync.log" || fail "the deletion was not sent"
cli_b book download --output "$work/server-book.json" | grep -qx "3 entries written to $work/server-book.json" \
    || fail "book download: $(cat "$work/server-book.json")"
python3 - "$work/server-book.json" <<'EOF' || fail "the server's book after the sync: $(cat "$work/server-book.json")"
import json, sys
got = {entry["id"]: (entry["name"], entry["phones"], entry["emails"]) for entry in json.load(open(sys.argv[1]))}
expected = {
    "alan": ("Alan Mathison Turing", ["555-010-9002"], ["alan@example.com"]),
    "grace": ("Grace Hopper", ["555-010-9001"], []),
    "lin-wei-1": ("Lin Wei", ["+1 555 010 9010"], ["lin@example.com"]),
}
assert got == expected, got
EOF
vds sync || fail "vdirsyncer sync after the local changes"
if grep -q "^Copying\|^Deleting" "$work/sync.log"; then fail "a sync after the local changes changed something"; fi

# A's card changes on the server: the next sync brings it into the local contacts and group.
cli_a card set 'name=Ada King|contacts' 'phone:mobile=+15550104601|contacts' "email:work=ada@king.example|groups:$group_id" \
    | grep -q "card saved" || fail "card change"
vds sync || fail "vdirsyncer sync after A's change"
expect_folder "$vdir/contacts" "{\"$a_id\": [\"$a_id.vcf\", \"Ada King\", [\"+15550104601\"], [\"ada@king.example\"]]}"
expect_folder "$vdir/group-$group_id" \
    "{\"$a_id\": [\"$a_id.vcf\", \"ada@king.example\", [\"+15550104601\"], [\"ada@king.example\"]]}"

# Read-only: an edit in the local contacts (and in the group) is not sent (the server would
# answer 403), and the syncs succeed. vdirsyncer's partial_sync = "revert" reverts on the sync
# after the one that saw the edit (that one only forgets the server's etag), whichever the server.
# (Not a deletion: these folders hold one card each, and vdirsyncer refuses to sync a folder
# emptied.) The server's card is unchanged.
sed -i 's/^FN:Ada King/FN:Ada Forged/' "$vdir/contacts/$a_id.vcf"
sed -i 's/^EMAIL;TYPE=work:ada@king.example/EMAIL;TYPE=work:forged@example.com/' "$vdir/group-$group_id/$a_id.vcf"
grep -q forged "$vdir/group-$group_id/$a_id.vcf" || fail "could not edit the group's card: $(cat "$vdir/group-$group_id/$a_id.vcf")"
for round in 1 2; do
    vds sync || fail "vdirsyncer sync $round after editing a read-only collection"
    if grep -q "to cardex_shared_remote\|from cardex_shared_remote" "$work/sync.log"; then fail "vdirsyncer wrote to a read-only collection"; fi
done
grep -q "Copying (updating) item $a_id to cardex_shared_local/contacts" "$work/sync.log" || fail "the edit in contacts was not reverted"
expect_folder "$vdir/contacts" "{\"$a_id\": [\"$a_id.vcf\", \"Ada King\", [\"+15550104601\"], [\"ada@king.example\"]]}"
expect_folder "$vdir/group-$group_id" \
    "{\"$a_id\": [\"$a_id.vcf\", \"ada@king.example\", [\"+15550104601\"], [\"ada@king.example\"]]}"
cli_b card show +15550104601 | grep -qx "name: Ada King" || fail "A's card as B sees it: $(cli_b card show +15550104601)"
# And the server refuses the write itself: 403, as a pair that is not read-only would get.
status="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/data/dev-ca.pem" -u "$username:$password" -X PUT \
    -H 'Content-Type: text/vcard' --data-binary @"$vdir/contacts/$a_id.vcf" \
    "https://localhost:$carddav_port/dav/books/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["userID"])' "$work/profile-b.json")/contacts/$a_id.vcf")"
[ "$status" = 403 ] || fail "a PUT into contacts answered $status, not 403"

echo "dav vdirsyncer: ok"
