#!/usr/bin/env bash
# A throwaway package that depends only on the FramedRPC and CardexClient products builds, and
# runs, on a PATH without protoc: their generated code is checked in (scripts/generate.sh), so an
# app using the SDK needs no protobuf compiler. It starts from an empty build directory, as a
# user's package would.
#
#   Tests/sdk/swift-without-protoc.sh
set -euo pipefail
readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# PATH as it is, with each directory holding protoc replaced by links to everything else in it.
hidden_path=""
IFS=: read -r -a directories <<<"$PATH"
for directory in "${directories[@]}"; do
    [[ -d "$directory" ]] || continue
    if [[ -e "$directory/protoc" ]]; then
        farm="$work/path/$(printf '%s' "$directory" | tr / _)"
        mkdir -p "$farm"
        for file in "$directory"/*; do
            [[ "$(basename "$file")" == protoc ]] || ln -s "$file" "$farm/"
        done
        directory="$farm"
    fi
    hidden_path="${hidden_path:+$hidden_path:}$directory"
done
env -u PROTOC_PATH PATH="$hidden_path" bash -c 'command -v protoc' >/dev/null && fail "protoc is still on the PATH"

# The dependency by a path whose last component is the package's identity, "cardex", whatever the
# checkout's directory is called.
ln -s "$ROOT" "$work/cardex"
app="$work/app"
mkdir -p "$app/Sources/App"
cat >"$app/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "App",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "$work/cardex")],
    targets: [
        .executableTarget(
            name: "App",
            dependencies: [
                .product(name: "FramedRPC", package: "cardex"),
                .product(name: "CardexClient", package: "cardex"),
            ]
        )
    ]
)
SWIFT
cat >"$app/Sources/App/main.swift" <<'SWIFT'
import CardexClient
import CardexProto
import FramedRPC

// A generated message through its wire form, and the SDK's client types, named.
let request = Cardex_V1_RequestCodeRequest.with { $0.phone = "+15550100" }
let decoded = try Cardex_V1_RequestCodeRequest(serializedBytes: try request.serializedBytes() as [UInt8])
let clientType = String(describing: CardexClient.self)
print("\(decoded.phone) \(clientType) \(StatusCode.unauthenticated.rawValue)")
SWIFT

echo "building a package that uses FramedRPC and CardexClient, without protoc"
(cd "$app" && env -u PROTOC_PATH PATH="$hidden_path" swift build 2>&1 | tail -3) || fail "the package does not build without protoc"
output="$(cd "$app" && env -u PROTOC_PATH PATH="$hidden_path" "$(swift build --show-bin-path)/App")"
[[ "$output" == "+15550100 CardexClient 16" ]] || fail "the program printed '$output'"
echo "ok: built and ran without protoc ($output)"
