#!/usr/bin/env bash
# Regenerates Generated/ from Proto/ with the system protoc.
#
#   scripts/generate.sh          rewrite Generated/<language>/ for every language below
#   scripts/generate.sh --check  regenerate into a temporary directory and fail, with a
#                                diff, if Generated/ does not match Proto/
#
# protoc is taken from PROTOC_PATH, else from PATH. Output is deterministic: the same
# Proto/ and the same protoc give byte-identical files.
#
# To add a language, write a generate_<language> function taking the output directory
# and add <language> to LANGUAGES.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly PROTO_DIR="Proto"          # relative to ROOT, so generated files name protos by package path
readonly GENERATED_DIR="Generated"  # relative to ROOT
readonly LANGUAGES=(python c)

die() {
    echo "error: $*" >&2
    exit 1
}

usage() {
    sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

find_protoc() {
    local protoc="${PROTOC_PATH:-$(command -v protoc || true)}"
    [[ -n "$protoc" && -x "$protoc" ]] ||
        die "protoc not found: install protobuf-compiler or set PROTOC_PATH"
    echo "$protoc"
}

# Protos that are the server's alone, under Proto/, never generated for clients: cardex/storage
# is how the server stores cards (Proto/cardex/storage/v1/card.proto), not an API; a client that
# compiled it could come to depend on a format the server owns. The server generates it at build
# time (Sources/CardexStorage/framedrpc.json).
readonly SERVER_ONLY_PREFIX="cardex/storage/"

# Every client-facing .proto under Proto/, relative to Proto/, in a locale-independent order.
proto_files() {
    (cd "$ROOT/$PROTO_DIR" && find . -name '*.proto' -type f | sed 's|^\./||' | grep -v "^$SERVER_ONLY_PREFIX" | LC_ALL=C sort)
}

# generate_python OUT: *_pb2.py for every proto, keeping the package path
# (framedrpc/v1/wire.proto -> OUT/framedrpc/v1/wire_pb2.py), and beside it, for a proto with
# services, the typed stubs *_framedrpc.py of clients/python/codegen/protoc-gen-framedrpc-python
# (which needs python3 with the protobuf package). No __init__.py files: the directories are
# namespace packages.
generate_python() {
    local out="$1"
    mkdir -p "$out"
    local files
    mapfile -t files < <(proto_files)
    (cd "$ROOT" && "$PROTOC" -I "$PROTO_DIR" --python_out="$out" \
        --plugin=protoc-gen-framedrpc-python=clients/python/codegen/protoc-gen-framedrpc-python \
        --framedrpc-python_out="$out" "${files[@]}")
}

# generate_c OUT: protobuf-c's .pb-c.h/.pb-c.c for every proto, keeping the package path
# (framedrpc/v1/wire.proto -> OUT/framedrpc/v1/wire.pb-c.{h,c}). protoc-c is taken from
# PROTOC_C_PATH, else from PATH. Debian's protoc-c (1.4) predates proto3 `optional`, so the
# protos are first copied with each `optional T name = N;` rewritten as the synthetic oneof
# protoc itself makes of it, `oneof _name { T name = N; }`: the same wire format and presence.
generate_c() {
    local out="$1"
    local protoc_c="${PROTOC_C_PATH:-$(command -v protoc-c || true)}"
    [[ -n "$protoc_c" && -x "$protoc_c" ]] ||
        die "protoc-c not found: install protobuf-c-compiler (scripts/bootstrap.sh does) or set PROTOC_C_PATH"
    local protos="$WORK_DIR/c-protos"
    mkdir -p "$out" "$protos"
    cp -R "$ROOT/$PROTO_DIR/." "$protos/"
    local files file
    mapfile -t files < <(proto_files)
    for file in "${files[@]}"; do
        sed -i -E 's/^([[:space:]]*)optional[[:space:]]+([A-Za-z0-9_.]+)[[:space:]]+([A-Za-z0-9_]+)([[:space:]]*=[[:space:]]*[0-9]+[[:space:]]*;)/\1oneof _\3 { \2 \3\4 }/' \
            "$protos/$file"
    done
    (cd "$protos" && "$protoc_c" -I . --c_out="$out" "${files[@]}")
}

# generate_all OUT: every language into OUT/<language>/.
generate_all() {
    local out="$1" language
    for language in "${LANGUAGES[@]}"; do
        "generate_$language" "$out/$language"
    done
}

check() {
    local tmp="$1" language stale=()
    generate_all "$tmp"
    for language in "${LANGUAGES[@]}"; do
        # Bytecode caches are build products of running the code, not generator output.
        if ! diff -ru --exclude=__pycache__ --exclude='*.pyc' \
            "$ROOT/$GENERATED_DIR/$language" "$tmp/$language"; then
            stale+=("$GENERATED_DIR/$language")
        fi
    done
    if ((${#stale[@]})); then
        die "${stale[*]} is out of date with $PROTO_DIR/ (diff above: '-' is in $GENERATED_DIR/," \
            "'+' is what $PROTO_DIR/ generates); run scripts/generate.sh and commit the result"
    fi
    echo "$GENERATED_DIR/ matches $PROTO_DIR/"
}

# Generates into a temporary directory first, so a protoc failure leaves Generated/ as it was.
regenerate() {
    local tmp="$1" language
    generate_all "$tmp"
    mkdir -p "$ROOT/$GENERATED_DIR"
    for language in "${LANGUAGES[@]}"; do
        rm -rf "${ROOT:?}/$GENERATED_DIR/$language"
        mv "$tmp/$language" "$ROOT/$GENERATED_DIR/$language"
    done
    echo "regenerated $GENERATED_DIR/ (${LANGUAGES[*]}) from $PROTO_DIR/ with $("$PROTOC" --version)"
}

main() {
    local mode=generate
    case "${1:-}" in
        "") ;;
        --check) mode=check ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
    (($# <= 1)) || die "expected at most one argument, got $#"

    PROTOC="$(find_protoc)"
    readonly PROTOC
    WORK_DIR="$(mktemp -d)"
    readonly WORK_DIR
    trap 'rm -rf "$WORK_DIR"' EXIT
    if [[ "$mode" == check ]]; then check "$WORK_DIR"; else regenerate "$WORK_DIR"; fi
}

main "$@"
