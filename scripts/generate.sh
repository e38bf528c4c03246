#!/usr/bin/env bash
# Regenerates the checked-in generated code from Proto/ with the system protoc: the clients'
# Generated/<language>/, and the Swift of the framework's and the SDK's own targets
# (Sources/<target>/Generated/, so a package using them builds without protoc).
#
#   scripts/generate.sh          rewrite every checked-in directory below
#   scripts/generate.sh --check  regenerate into a temporary directory and fail, with a
#                                diff, if a checked-in directory does not match Proto/
#
# protoc is taken from PROTOC_PATH, else from PATH; the Swift generators (protoc-gen-swift,
# protoc-gen-framedrpc) are built with `swift build`. Output is deterministic: the same Proto/
# and the same generators give byte-identical files.
#
# To add a language, write a generate_<language> function taking the output directory
# and add <language> to LANGUAGES.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly PROTO_DIR="Proto"          # relative to ROOT, so generated files name protos by package path
readonly GENERATED_DIR="Generated"  # relative to ROOT
readonly LANGUAGES=(python c)
# Targets whose generated Swift is checked in: what a package depending on the FramedRPC,
# FramedRPCHealth, FramedRPCReflection and CardexClient products compiles, so it needs no
# protoc. Each has a framedrpc.json (the build plugin's config: protos and visibility) and gets
# Sources/<target>/Generated/. Every other target generates at build time (FramedRPCProtocPlugin).
readonly SWIFT_TARGETS=(FramedRPC FramedRPCHealth FramedRPCReflection CardexProto)

die() {
    echo "error: $*" >&2
    exit 1
}

usage() {
    sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# find_tool NAME VARIABLE HOW [FALLBACK]: the program NAME from the environment variable
# VARIABLE, else from PATH, else FALLBACK (a path); dies saying HOW to install it, or to set
# VARIABLE, when that is not an executable.
find_tool() {
    local name="$1" variable="$2" how="$3" fallback="${4:-}"
    local tool="${!variable:-$(command -v "$name" || true)}"
    tool="${tool:-$fallback}"
    [[ -n "$tool" && -x "$tool" ]] || die "$name not found: $how or set $variable"
    echo "$tool"
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

# The pip requirements of generate_python beyond protoc (the protobuf runtime and mypy-protobuf).
readonly PYTHON_CODEGEN_REQUIREMENTS="clients/python/requirements-codegen.txt"

# find_protoc_gen_mypy: mypy-protobuf's protoc plugin, from PROTOC_GEN_MYPY_PATH, else PATH, else
# python3's scripts directory (pip's, which PATH may lack), at the version
# PYTHON_CODEGEN_REQUIREMENTS pins (another version writes other stubs).
find_protoc_gen_mypy() {
    local install="pip install -r $PYTHON_CODEGEN_REQUIREMENTS (scripts/bootstrap.sh --python does)"
    local scripts plugin pinned found
    scripts="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
    plugin="$(find_tool protoc-gen-mypy PROTOC_GEN_MYPY_PATH "$install" "$scripts/protoc-gen-mypy")" ||
        exit  # find_tool said why; this function runs in $(...), where set -e does not apply
    pinned="mypy-protobuf $(sed -n 's/^mypy-protobuf==//p' "$ROOT/$PYTHON_CODEGEN_REQUIREMENTS")"
    found="$("$plugin" --version)" || die "$plugin --version failed: $install"
    [[ "$found" == "$pinned" ]] ||
        die "$plugin is $found, but Generated/python is made with $pinned: $install"
    echo "$plugin"
}

# generate_python OUT: *_pb2.py for every proto, keeping the package path
# (framedrpc/v1/wire.proto -> OUT/framedrpc/v1/wire_pb2.py); beside it its type stub *_pb2.pyi
# (mypy-protobuf's protoc-gen-mypy) and, for a proto with services, the typed stubs
# *_framedrpc.py of clients/python/codegen/protoc-gen-framedrpc-python (which needs python3 with
# the protobuf package). No __init__.py files: the directories are namespace packages.
generate_python() {
    local out="$1" protoc_gen_mypy
    protoc_gen_mypy="$(find_protoc_gen_mypy)"
    mkdir -p "$out"
    local files
    mapfile -t files < <(proto_files)
    (cd "$ROOT" && "$PROTOC" -I "$PROTO_DIR" --python_out="$out" \
        --plugin=protoc-gen-mypy="$protoc_gen_mypy" --mypy_out=quiet:"$out" \
        --plugin=protoc-gen-framedrpc-python=clients/python/codegen/protoc-gen-framedrpc-python \
        --framedrpc-python_out="$out" "${files[@]}")
}

# generate_c OUT: protobuf-c's .pb-c.h/.pb-c.c for every proto, keeping the package path
# (framedrpc/v1/wire.proto -> OUT/framedrpc/v1/wire.pb-c.{h,c}). protoc-c is taken from
# PROTOC_C_PATH, else from PATH. Debian's protoc-c (1.4) predates proto3 `optional`, so the
# protos are first copied with each `optional T name = N;` rewritten as the synthetic oneof
# protoc itself makes of it, `oneof _name { T name = N; }`: the same wire format and presence.
generate_c() {
    local out="$1" protoc_c
    protoc_c="$(find_tool protoc-c PROTOC_C_PATH \
        "install protobuf-c-compiler (scripts/bootstrap.sh does)")"
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

# generate_swift_target TARGET OUT: the messages (protoc-gen-swift) and service stubs
# (protoc-gen-framedrpc) of the protos TARGET's framedrpc.json lists, with its visibility and the
# file names the build plugin gives them (framedrpc/v1/wire.proto -> framedrpc_v1_wire.pb.swift
# and framedrpc_v1_wire.framedrpc.swift).
generate_swift_target() {
    local target="$1" out="$2" config visibility
    config="$ROOT/Sources/$target/framedrpc.json"
    local lines
    mapfile -t lines < <(python3 -c 'import json, sys
config = json.load(open(sys.argv[1]))
print(config.get("visibility", "internal").lower())
print("\n".join(config["protos"]))' "$config")
    visibility="${lines[0]}"
    mkdir -p "$out"
    (cd "$ROOT" && "$PROTOC" -I "$PROTO_DIR" \
        --plugin=protoc-gen-swift="$SWIFT_BIN/protoc-gen-swift" --swift_out="$out" \
        --swift_opt=Visibility="$visibility" --swift_opt=FileNaming=PathToUnderscores \
        --plugin=protoc-gen-framedrpc="$SWIFT_BIN/protoc-gen-framedrpc" --framedrpc_out="$out" \
        --framedrpc_opt=Visibility="$visibility" "${lines[@]:1}")
}

# build_swift_generators: builds protoc-gen-swift and protoc-gen-framedrpc (a no-op when they are
# up to date) and sets SWIFT_BIN to where they are.
build_swift_generators() {
    local product
    for product in protoc-gen-swift protoc-gen-framedrpc; do
        (cd "$ROOT" && swift build --product "$product" >&2) || die "swift build --product $product failed"
    done
    SWIFT_BIN="$(cd "$ROOT" && swift build --show-bin-path)"
}

# units: one line per checked-in directory, "NAME DESTINATION" (DESTINATION relative to ROOT).
units() {
    local language target
    for language in "${LANGUAGES[@]}"; do echo "$language $GENERATED_DIR/$language"; done
    for target in "${SWIFT_TARGETS[@]}"; do echo "swift/$target Sources/$target/Generated"; done
}

# generate_unit NAME OUT: what NAME's checked-in directory should hold, into OUT.
generate_unit() {
    local name="$1" out="$2"
    case "$name" in
        swift/*) generate_swift_target "${name#swift/}" "$out" ;;
        *) "generate_$name" "$out" ;;
    esac
}

check() {
    local tmp="$1" name destination stale=()
    while read -r name destination; do
        generate_unit "$name" "$tmp/$name"
        # Bytecode caches are build products of running the code, not generator output.
        if ! diff -ru --exclude=__pycache__ --exclude='*.pyc' "$ROOT/$destination" "$tmp/$name"; then
            stale+=("$destination")
        fi
    done < <(units)
    if ((${#stale[@]})); then
        die "${stale[*]} out of date with $PROTO_DIR/ (diff above: '-' is checked in," \
            "'+' is what $PROTO_DIR/ generates); run scripts/generate.sh and commit the result"
    fi
    echo "generated code matches $PROTO_DIR/ ($GENERATED_DIR/, Sources/{$(IFS=,; echo "${SWIFT_TARGETS[*]}")}/Generated/)"
}

# Generates everything into a temporary directory first, so a protoc failure leaves the
# checked-in directories as they were.
regenerate() {
    local tmp="$1" name destination
    while read -r name destination; do generate_unit "$name" "$tmp/$name"; done < <(units)
    while read -r name destination; do
        rm -rf "${ROOT:?}/$destination"
        mkdir -p "$(dirname "$ROOT/$destination")"
        mv "$tmp/$name" "$ROOT/$destination"
    done < <(units)
    echo "regenerated $GENERATED_DIR/ (${LANGUAGES[*]}) and Sources/*/Generated/ (${SWIFT_TARGETS[*]}) from $PROTO_DIR/ with $("$PROTOC" --version)"
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

    PROTOC="$(find_tool protoc PROTOC_PATH "install protobuf-compiler")"
    readonly PROTOC
    build_swift_generators
    readonly SWIFT_BIN
    WORK_DIR="$(mktemp -d)"
    readonly WORK_DIR
    trap 'rm -rf "$WORK_DIR"' EXIT
    if [[ "$mode" == check ]]; then check "$WORK_DIR"; else regenerate "$WORK_DIR"; fi
}

main "$@"
