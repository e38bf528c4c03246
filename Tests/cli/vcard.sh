#!/usr/bin/env bash
# vCard both ways through the `cardex` binary against `cardex serve` (SQLite): a fresh account
# uploads the CardexVCard fixtures as Apple Contacts, Google Contacts and Android (2.1,
# quoted-printable) export them, a 4.0 file and a Latin-1 file; uploading each again changes
# nothing (cards without UID keep their `vcard-<position>-<FNV-1a of the name>` ids). The book
# downloaded as .vcf is vCard 4.0 that Python's vobject reads, holding exactly the expected uids,
# names, phones and e-mail addresses; uploading that download again leaves every entry unchanged.
# Also: a card cut short is refused naming the file, and a JSON book that is not UTF-8 too.
#
#   Tests/cli/vcard.sh BIN_DIR
#       BIN_DIR holds the built `cardex`; Python needs vobject (clients/python/requirements-test.txt).
set -euo pipefail
bin="${1:?usage: vcard.sh BIN_DIR}/cardex"
fixtures="$(cd "$(dirname "$0")/../CardexVCardTests/Fixtures" && pwd)"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "cli vcard: FAILED: $*" >&2; [ -f "$work/serve.log" ] && sed 's/^/  serve: /' "$work/serve.log" >&2; exit 1; }
python3 -c 'import vobject' 2>/dev/null || fail "Python has no vobject: run scripts/bootstrap.sh --python"

source "$(dirname "$0")/lib.sh"
start_server --default-region US --test-number-prefix +1555
export CARDEX_PROFILE="$work/profile.json"
cli register 555-010-4260 | grep -q "code sent to +15550104260" || fail "register"
code="$(code_for +15550104260)"
[ -n "$code" ] || fail "no code in the notification log"
cli verify +15550104260 "$code" --device vcard | grep -q "registered as +15550104260" || fail "verify"

# Each export into the one book; the ids of the cards without UID differ by position or name.
total=0
for fixture in apple:3 google:4 android:4 v4:3 latin1:3; do
    file="$fixtures/${fixture%:*}.vcf" count="${fixture#*:}"
    cli book upload "$file" >"$work/upload" 2>&1 || fail "book upload $file: $(cat "$work/upload")"
    grep -qx "added $count, changed 0, unchanged 0, removed 0" "$work/upload" || fail "book upload $file: $(cat "$work/upload")"
    cli book upload "$file" | grep -qx "added 0, changed 0, unchanged $count, removed 0" || fail "uploading $file again changed the book"
    total=$((total + count))
done

cli book download --output "$work/book.vcf" | grep -qx "$total entries written to $work/book.vcf" || fail "book download --output .vcf"
cli book download --format vcf | cmp -s - "$work/book.vcf" || fail "book download --format vcf differs from --output book.vcf"
python3 - "$work/book.vcf" <<'EOF' || fail "the downloaded vCards: $(cat "$work/book.vcf")"
import sys, vobject

def stable_id(position, name):
    """The id of a card without UID: vcard-<position>-<64-bit FNV-1a of the name's UTF-8, hex>."""
    h = 0xcbf29ce484222325
    for byte in name.encode():
        h = ((h ^ byte) * 0x100000001b3) % 2**64
    return f"vcard-{position}-{h:016x}"

# (uid or None for the position's stable id, position, name, phones, emails), file by file.
expected_cards = [
    # apple.vcf
    (None, 1, "Dr. Johnny Quincy Appleseed Jr.", ["+1 (408) 555-0199", "(408) 555-0100", "555-0142"],
     ["johnny@example.com", "j.appleseed@example.org"]),
    (None, 2, "Café Müller & Söhne", ["+49 89 123456"], ["info@cafe-mueller.example"]),
    (None, 3, "Seán O'Brien, Esq. 🍀", ["+353 87 123 4567", "+353 1 555 0000"], ["sean@obrien.example", "sean.obrien@home.example"]),
    # google.vcf
    (None, 1, "Ana María López", ["+34 612 34 56 78", "91 123 45 67", "+34 699 000 111"], ["ana@example.com", "ana.lopez@work.example"]),
    (None, 2, "Mr. Van An Nguyen", ["0912 345 678"], []),
    (None, 3, "王小明", ["+86 139 1234 5678"], ["xiaoming.wang@example.cn"]),
    (None, 4, "Maximiliane Theodora Bernadette von und zu Hohenzollern-Sigmaringen de Ünal", ["+49 30 901820", "+49 151 23456789"],
     ["m.uenal@example.de"]),
    # android.vcf (2.1, quoted-printable UTF-8)
    (None, 1, "张三", ["+86 138 0013 8000", "010-1234 5678", "+86 10 8888 7777"], ["zhang.san@example.cn"]),
    (None, 2, "欧阳小明和大明的哥哥", ["138-0000-1111"], ["ouyang@example.cn"]),
    (None, 3, "John Smith", ["+1-202-555-0173", "+1 202 555 0174", "+1 202 555 0175"], ["john.smith@work.example", "john@home.example"]),
    (None, 4, "", ["5551234"], []),
    # v4.vcf
    ("urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", 1, "Simon Perreault", ["+1-418-656-9254;ext=102", "+1-418-262-6501"],
     ["simon.perreault@viagenie.ca"]),
    ("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", 2, "Dr. John Philip,Paul Stevenson Jr.,M.D.,A.C.P.", ["+1-555-555-5555"],
     ["jps@example.com", "john.stevenson@example.org"]),
    (None, 3, "山田 太郎", ["090-1234-5678", "03-1234-5678"], ["taro@example.jp"]),
    # latin1.vcf (ISO-8859-1 and windows-1252 bytes)
    (None, 1, "Dr. Jürgen Müller", ["+49 30 1234567", "+49 171 7654321", "+49 30 1234569"], ["juergen.mueller@example.de"]),
    (None, 2, "François Dupont – «Le Chef»", ["+33 1 23 45 67 89"], ["francois.dupont@example.fr"]),
    (None, 3, "Søren Øster", ["+45 20 12 34 56"], []),
]
expected = {uid or stable_id(position, name): (name, phones, emails) for uid, position, name, phones, emails in expected_cards}
assert len(expected) == len(expected_cards), "two expected cards share an id"

with open(sys.argv[1], encoding="utf-8", newline="") as file:
    text = file.read()
assert "\n" not in text.replace("\r\n", ""), "a line does not end in CRLF"
cards = list(vobject.readComponents(text))
got = {}
for card in cards:
    values = lambda name: [line.value for line in card.contents.get(name, [])]
    assert values("version") == ["4.0"], values("version")
    [uid] = values("uid")
    [name] = values("fn")
    assert uid not in got, f"{uid} twice"
    got[uid] = (name, values("tel"), values("email"))
assert got == expected, "\n".join(
    f"{uid}: got {got.get(uid)}, expected {expected.get(uid)}" for uid in sorted(set(got) | set(expected)) if got.get(uid) != expected.get(uid))
EOF
cli book upload "$work/book.vcf" | grep -qx "added 0, changed 0, unchanged $total, removed 0" || fail "re-uploading the downloaded .vcf changed the book"

# A card cut short names the file, the card and its line; a JSON book must be UTF-8.
head -n 5 "$fixtures/apple.vcf" >"$work/cut.vcf"
if cli book upload "$work/cut.vcf" 2>"$work/err"; then fail "a vCard cut short was uploaded"; fi
grep -qF "cannot read $work/cut.vcf: vCard 1 (begun on line 1) has no END:VCARD" "$work/err" || fail "a vCard cut short: $(cat "$work/err")"
printf '[{"id": "1", "name": "J\xfcrgen"}]' >"$work/latin1.json"
if cli book upload "$work/latin1.json" 2>"$work/err"; then fail "a Latin-1 JSON book was uploaded"; fi
grep -qF "$work/latin1.json is not UTF-8 text" "$work/err" || fail "a Latin-1 JSON book: $(cat "$work/err")"

echo "cli vcard: ok"
