// swift-tools-version:6.1
// FramedRPC: a gRPC-style binary RPC framework over TLS framed TCP, and Cardex built on it.
import PackageDescription

// Tools 6.1 builds every target in the Swift 6 language mode (strict concurrency).
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "cardex",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FramedRPC", targets: ["FramedRPC"]),
        .executable(name: "protoc-gen-framedrpc", targets: ["protoc-gen-framedrpc"]),
        .plugin(name: "FramedRPCProtocPlugin", targets: ["FramedRPCProtocPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // The generic RPC framework. Knows nothing of Cardex.
        .target(
            name: "FramedRPC",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict,
            plugins: ["FramedRPCProtocPlugin"]
        ),

        // Code generation: the service-stub generator and the build tool plugin that drives protoc.
        .target(
            name: "FramedRPCCodegen",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "SwiftProtobufPluginLibrary", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "protoc-gen-framedrpc",
            dependencies: [
                "FramedRPCCodegen",
                .product(name: "SwiftProtobufPluginLibrary", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        .plugin(
            name: "FramedRPCProtocPlugin",
            capability: .buildTool(),
            dependencies: [
                .product(name: "protoc-gen-swift", package: "swift-protobuf"),
                "protoc-gen-framedrpc",
            ]
        ),

        // Interop suite: the test service, its implementation and the client cases.
        .target(
            name: "FramedRPCInterop",
            dependencies: [
                "FramedRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict,
            plugins: ["FramedRPCProtocPlugin"]
        ),
        .executableTarget(
            name: "framedrpc-interop",
            dependencies: [
                "FramedRPC", "FramedRPCInterop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "framedrpc-bench",
            dependencies: [
                "FramedRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict,
            plugins: ["FramedRPCProtocPlugin"]
        ),

        .testTarget(
            name: "FramedRPCTests",
            dependencies: [
                "FramedRPC",
                "FramedRPCInterop",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            resources: [.copy("Certificates")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FramedRPCCodegenTests",
            dependencies: [
                "FramedRPCCodegen",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "SwiftProtobufPluginLibrary", package: "swift-protobuf"),
            ],
            resources: [.copy("Snapshots")],
            swiftSettings: strict
        ),
    ]
)
