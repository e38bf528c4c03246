#!/usr/bin/env bash
# Builds the FramedRPC C client with the system compiler: the library (libframedrpc.a, with
# the protobuf-c code of Generated/c/), the programs and the unit tests.
#
#   clients/c/build.sh [BUILD_DIR]     default BUILD_DIR: clients/c/build
#
# Needs cc, pkg-config data or the Debian packages libprotobuf-c-dev and libssl-dev
# (scripts/bootstrap.sh installs them). CC and CFLAGS override the compiler and the
# optimisation/debug flags; warnings are always errors.
set -euo pipefail

readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly ROOT="$(cd "$HERE/../.." && pwd)"
readonly GENERATED="$ROOT/Generated/c"
readonly BUILD="${1:-$HERE/build}"
readonly CC="${CC:-cc}"
readonly CFLAGS="${CFLAGS:--O2 -g}"
readonly WARNINGS=(-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror)

die() {
    echo "clients/c/build.sh: error: $*" >&2
    exit 1
}

command -v "$CC" >/dev/null || die "$CC not found: install a C compiler (Debian: build-essential) or set CC"
[[ -f /usr/include/protobuf-c/protobuf-c.h ]] || pkg-config --exists libprotobuf-c 2>/dev/null ||
    die "protobuf-c headers not found: install libprotobuf-c-dev (scripts/bootstrap.sh does)"
[[ -f /usr/include/openssl/ssl.h ]] || pkg-config --exists openssl 2>/dev/null ||
    die "OpenSSL headers not found: install libssl-dev (scripts/bootstrap.sh does)"
[[ -d "$GENERATED" ]] || die "$GENERATED is missing: run scripts/generate.sh"

libraries() {
    pkg-config --libs libprotobuf-c openssl 2>/dev/null || echo "-lprotobuf-c -lssl -lcrypto"
}

# compile SOURCE OBJECT: one translation unit.
compile() {
    mkdir -p "$(dirname "$2")"
    # shellcheck disable=SC2086 # CFLAGS is a list of flags
    "$CC" "${WARNINGS[@]}" $CFLAGS -I "$HERE/framedrpc" -I "$GENERATED" -c "$1" -o "$2"
}

mkdir -p "$BUILD/obj"
objects=()
for source in "$HERE"/framedrpc/*.c; do
    object="$BUILD/obj/framedrpc/$(basename "${source%.c}").o"
    compile "$source" "$object"
    objects+=("$object")
done
while IFS= read -r source; do
    relative="${source#"$GENERATED"/}"
    object="$BUILD/obj/generated/${relative%.c}.o"
    compile "$source" "$object"
    objects+=("$object")
done < <(find "$GENERATED" -name '*.pb-c.c' | LC_ALL=C sort)
rm -f "$BUILD/libframedrpc.a"
ar rcs "$BUILD/libframedrpc.a" "${objects[@]}"

# link NAME SOURCE: a program on the library.
link() {
    compile "$2" "$BUILD/obj/$1.o"
    # shellcheck disable=SC2046,SC2086 # the library flags and CFLAGS are lists
    "$CC" $CFLAGS "$BUILD/obj/$1.o" "$BUILD/libframedrpc.a" $(libraries) -o "$BUILD/$1"
}
link framedrpc-interop-c "$HERE/programs/interop.c"
link cardex-scenario-c "$HERE/programs/cardex_scenario.c"
link unary-example "$HERE/examples/unary_example.c"
link frame-test "$HERE/tests/frame_test.c"
echo "built $BUILD/{libframedrpc.a,framedrpc-interop-c,cardex-scenario-c,unary-example,frame-test}"
