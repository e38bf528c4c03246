// swift-tools-version:6.1
// libFuzzer targets for FramedRPC's framing and server connection (docs/FUZZING.md).
//
// A package of its own so that its build, with `--sanitize=fuzzer`, never touches the main
// build: scripts/fuzz.sh builds it into Fuzz/.build and runs the targets on Fuzz/Corpus.
import PackageDescription

let package = Package(
    name: "framedrpc-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The repository's package, by path: `@testable import FramedRPC` reaches the internal
        // framing and connection types (a debug build enables testability).
        .package(name: "cardex", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        // The harnesses and their invariants; the executables only hand libFuzzer's input over.
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "FramedRPC", package: "cardex"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        // Bytes into FrameReader / FrameDecoder and the control-message decoders.
        .executableTarget(
            name: "fuzz-frames",
            dependencies: ["FuzzSupport"],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        // Bytes into a whole server connection on an EmbeddedChannel, calls running.
        .executableTarget(
            name: "fuzz-connection",
            dependencies: ["FuzzSupport"],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ]
)
