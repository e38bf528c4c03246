// swift-tools-version:6.1
// libFuzzer targets for FramedRPC's framing and server connection, and for the vCard reader
// (docs/FUZZING.md).
//
// A package of its own, built by scripts/fuzz.sh into Fuzz/.build, so that instrumented code
// never reaches the main build. It compiles the repository's FramedRPC and CardexVCard sources
// itself (symbolic links to the root's, FramedRPC's generated wire code included), so the
// instrumentation flags reach them and nothing else the root package builds. Only
// FramedRPC's own dependencies resolve: swift-nio, swift-nio-ssl, swift-protobuf, and the
// observability APIs (swift-log, swift-metrics, swift-distributed-tracing).
import PackageDescription

/// Coverage for libFuzzer and AddressSanitizer checks, for the code under test and the harness.
let instrumented: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .unsafeFlags(["-sanitize=fuzzer,address"]),
]
/// The fuzzer and sanitizer runtimes. lld, from the Swift toolchain: gold fails on the
/// sanitizer runtime's symbols.
let fuzzerRuntime: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]

let package = Package(
    name: "framedrpc-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        // The root package's FramedRPC, declared as there.
        .target(
            name: "FramedRPC",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["framedrpc.json"],
            swiftSettings: instrumented
        ),

        // The root package's CardexVCard (Foundation only).
        .target(name: "CardexVCard", swiftSettings: instrumented),

        // libFuzzer's LLVMFuzzerRunDriver, for executables whose main SwiftPM provides.
        .target(name: "CFuzzerDriver"),
        // The harnesses and their invariants; the executables only hand libFuzzer's input over.
        .target(
            name: "FuzzSupport",
            dependencies: [
                "FramedRPC",
                "CardexVCard",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: instrumented
        ),
        // Bytes into FrameReader / FrameDecoder and the control-message decoders.
        .executableTarget(
            name: "fuzz-frames",
            dependencies: ["FuzzSupport", "CFuzzerDriver"],
            swiftSettings: instrumented,
            linkerSettings: fuzzerRuntime
        ),
        // Bytes into VCardParser, and its cards through VCardWriter and back.
        .executableTarget(
            name: "fuzz-vcard",
            dependencies: ["FuzzSupport", "CFuzzerDriver"],
            swiftSettings: instrumented,
            linkerSettings: fuzzerRuntime
        ),
        // Bytes into a whole server connection on an EmbeddedChannel, calls running.
        .executableTarget(
            name: "fuzz-connection",
            dependencies: ["FuzzSupport", "CFuzzerDriver"],
            swiftSettings: instrumented,
            linkerSettings: fuzzerRuntime
        ),
    ]
)
