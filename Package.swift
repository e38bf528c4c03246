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
        .library(name: "FramedRPCHealth", targets: ["FramedRPCHealth"]),
        .library(name: "FramedRPCReflection", targets: ["FramedRPCReflection"]),
        .executable(name: "protoc-gen-framedrpc", targets: ["protoc-gen-framedrpc"]),
        .plugin(name: "FramedRPCProtocPlugin", targets: ["FramedRPCProtocPlugin"]),
        .library(name: "CardexClient", targets: ["CardexClient"]),
        .executable(name: "cardex", targets: ["cardex"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the gRPC exporter would bring grpc-swift-2's build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // CardDAV's HTTP server. The default traits would add swift-configuration support we do not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        // HTTP field names and statuses, which Hummingbird's requests and responses are made of.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            // Generated/ is checked in (scripts/generate.sh, from framedrpc.json): no protoc needed.
            exclude: ["framedrpc.json"],
            swiftSettings: strict
        ),

        // Health checking (framedrpc.health.v1, the shape of grpc.health.v1) for any FramedRPC server.
        .target(
            name: "FramedRPCHealth",
            dependencies: [
                "FramedRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            // Generated/ is checked in (scripts/generate.sh, from framedrpc.json): no protoc needed.
            exclude: ["framedrpc.json"],
            swiftSettings: strict
        ),

        // Server reflection (framedrpc.reflection.v1, the shape of grpc.reflection.v1) for any FramedRPC
        // server: the services it serves and the proto files that define them.
        .target(
            name: "FramedRPCReflection",
            dependencies: [
                "FramedRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            // Generated/ is checked in (scripts/generate.sh, from framedrpc.json): no protoc needed.
            exclude: ["framedrpc.json"],
            swiftSettings: strict
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
                "FramedRPC", "FramedRPCInterop", "FramedRPCReflection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // A one-use authority and the localhost certificate it signed, for development servers
        // (`cardex serve` without a certificate) and benchmarks.
        .target(
            name: "DevelopmentCertificates",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "framedrpc-bench",
            dependencies: [
                "FramedRPC", "DevelopmentCertificates",
                // rpc-observed-server: metrics and tracing on, as cardex serve has them.
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                // cardex serve's settings from the environment and a JSON file.
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict,
            plugins: ["FramedRPCProtocPlugin"]
        ),

        // Cardex: the contact-sharing service built on FramedRPC.
        // Messages and service stubs generated from Proto/cardex/v1.
        .target(
            name: "CardexProto",
            dependencies: [
                "FramedRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            // Generated/ is checked in (scripts/generate.sh, from framedrpc.json): no protoc needed.
            exclude: ["framedrpc.json"],
            swiftSettings: strict
        ),
        // libphonenumber (C++, Debian libphonenumber-dev) behind a few C functions, for CardexCore.
        .target(
            name: "CPhoneNumbers",
            linkerSettings: [.linkedLibrary("phonenumber")]
        ),
        // The domain: phone numbers, cards and audiences, secrets, the store protocol. No I/O.
        .target(
            name: "CardexCore",
            dependencies: [
                "CPhoneNumbers",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // How every backend stores a card: the bytes of Proto/cardex/storage/v1 (server-only, not
        // the wire API), generated at build time, and the codec between them and `Card`.
        .target(
            name: "CardexStorage",
            dependencies: [
                "CardexCore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict,
            plugins: ["FramedRPCProtocPlugin"]
        ),
        // The SQLite backend of the store protocol (GRDB, WAL, synchronous=FULL); its hot reads run
        // on a NIOThreadPool, off the event loops.
        .target(
            name: "CardexSQLite",
            dependencies: [
                "CardexCore", "CardexStorage",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The use cases: the rules of sharing, invitations, notices, events, matching and sync, written
        // once above the store protocols every backend implements.
        .target(
            name: "CardexUseCases",
            dependencies: ["CardexCore", .product(name: "Tracing", package: "swift-distributed-tracing")],
            swiftSettings: strict
        ),
        // The PostgreSQL store (PostgresStore, every store protocol) and its foundations: connection
        // settings from a URL (TLS through NIOSSL), the pool as a service, transactions with retry,
        // append-only migrations and the schema.
        // postgres-nio is a long build: only this target, its tests and what serves from PostgreSQL take it.
        .target(
            name: "CardexPostgres",
            dependencies: [
                "CardexCore", "CardexStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The notification outbox worker and its delivery adapters (file log, HTTP webhook).
        .target(
            name: "CardexNotify",
            dependencies: [
                "CardexCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // TimeAmount(_: Duration), for the webhook's request timeout.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // vCard: reading 2.1, 3.0 and 4.0 as phones and mail programs export them, writing 4.0.
        .target(name: "CardexVCard", swiftSettings: strict),
        // CardDAV (RFC 6352, RFC 6578 sync-collection, RFC 6764 discovery) over HTTPS with
        // Hummingbird: a person's contacts app sees the cards shared with them, their groups and
        // their cloud address book, signed in with an app password.
        .target(
            name: "CardexDAV",
            dependencies: [
                "CardexCore", "CardexUseCases", "CardexVCard", "FramedRPC",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The RPC handlers, the session interceptor, and the assembled server.
        .target(
            name: "CardexServer",
            dependencies: [
                "FramedRPC", "FramedRPCHealth", "FramedRPCReflection", "CardexProto", "CardexCore", "CardexUseCases", "CardexSQLite", "CardexPostgres",
                "CardexNotify",
                "CardexDAV",
                "DevelopmentCertificates",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        // The Swift SDK: a connected, authenticated set of typed service clients.
        .target(
            name: "CardexClient",
            dependencies: ["FramedRPC", "CardexProto"],
            swiftSettings: strict
        ),
        // Benchmarks of the Cardex service (`cardex-bench fanout`), driven through the real RPCs, and the
        // process tools (`shutdown`, `crash`, `soak`) that drive a `cardex serve` process.
        .executableTarget(
            name: "cardex-bench",
            dependencies: [
                "CardexServer", "CardexClient", "CardexProto", "CardexCore", "CardexNotify", "CardexSQLite", "CardexPostgres", "CardexUseCases",
                "FramedRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // The shutdown, crash and soak tools: a client that stops reading, integrity_check.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // `cardex serve` and the command-line client.
        .executableTarget(
            name: "cardex",
            dependencies: [
                "CardexServer", "CardexClient", "CardexProto", "CardexCore", "CardexPostgres", "CardexVCard", "FramedRPC", "FramedRPCHealth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                // `cardex serve`'s settings from the environment and a JSON file.
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Expectations shared by the test targets.
        .target(
            name: "FramedRPCTestSupport",
            dependencies: ["FramedRPC", .product(name: "Logging", package: "swift-log")],
            path: "Tests/FramedRPCTestSupport",
            swiftSettings: strict
        ),
        // Clocks tests move by hand, for the Cardex test targets.
        .target(
            name: "CardexTestSupport",
            dependencies: ["CardexCore"],
            path: "Tests/CardexTestSupport",
            swiftSettings: strict
        ),
        // glibc's <malloc.h>, for tests that measure the in-use heap.
        .systemLibrary(name: "CGlibcMalloc", path: "Tests/CGlibcMalloc"),
        .testTarget(
            name: "FramedRPCTests",
            dependencies: [
                "FramedRPC",
                "FramedRPCTestSupport",
                "FramedRPCInterop",
                "FramedRPCReflection",
                "CGlibcMalloc",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
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
        .testTarget(
            name: "CardexVCardTests",
            dependencies: ["CardexVCard"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CardexCoreTests",
            dependencies: ["CardexCore"],
            swiftSettings: strict
        ),
        // One contract for every backend: each case runs against each store (Backend.allCases); the
        // PostgreSQL one on CARDEX_TEST_POSTGRES_URL or a throwaway cluster, a fresh database per case.
        .testTarget(
            name: "CardexStoreContractTests",
            dependencies: [
                "CardexCore", "CardexSQLite", "CardexPostgres", "CardexPostgresTestSupport",
                // The seeding cases compare each store's schema, read from its catalog.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        // The PostgreSQL server tests run against (CARDEX_TEST_POSTGRES_URL, or a throwaway cluster
        // of scripts/postgres.sh for the test process), and fresh databases on it.
        .target(
            name: "CardexPostgresTestSupport",
            dependencies: [
                "CardexPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/CardexPostgresTestSupport",
            swiftSettings: strict
        ),
        // Against a real PostgreSQL server: CARDEX_TEST_POSTGRES_URL, or a throwaway cluster
        // started by scripts/postgres.sh for the test process.
        .testTarget(
            name: "CardexPostgresTests",
            dependencies: [
                "CardexCore", "CardexPostgres", "CardexPostgresTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CardexStorageTests",
            dependencies: ["CardexStorage", "CardexCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CardexNotifyTests",
            dependencies: [
                "CardexNotify", "CardexCore", "CardexTestSupport", "FramedRPCTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // Drives the worker's graceful shutdown without a ServiceGroup.
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The SQLite store alone: its caches, migrations, transactions and threads.
        .testTarget(
            name: "CardexSQLiteTests",
            dependencies: [
                "CardexCore", "CardexSQLite", "CardexStorage", "CardexUseCases", "CardexTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CardexTests",
            dependencies: [
                "CardexServer", "CardexClient", "CardexProto", "CardexCore", "CardexNotify", "CardexSQLite", "CardexUseCases", "CardexPostgres",
                "CardexPostgresTestSupport", "CardexTestSupport", "FramedRPC", "FramedRPCHealth", "FramedRPCTestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            resources: [.copy("Certificates")],
            swiftSettings: strict
        ),
    ],
    cxxLanguageStandard: .cxx17
)
