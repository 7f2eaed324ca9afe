// swift-tools-version: 6.1
// Rapport — offline-first mobile CRM backend. Module map and import rules: Docs/Architecture.md.

import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Rapport",
    platforms: [.macOS(.v14), .iOS(.v17)],
    products: [
        .library(name: "RapportModels", targets: ["RapportModels"]),
        .library(name: "RapportCrypto", targets: ["RapportCrypto"]),
        // The client's crypto surface without an implementation: what a port to another crypto
        // library (CryptoKit on iOS) builds on (Docs/Crypto.md).
        .library(name: "RapportCryptoCore", targets: ["RapportCryptoCore"]),
        .library(name: "RapportTesting", targets: ["RapportTesting"]),
        .library(name: "RapportClient", targets: ["RapportClient"]),
        // For anyone implementing the sync protocol (another server, another client): wire types,
        // clock, merge; no store, no server.
        .library(name: "RapportProtocol", targets: ["RapportProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // RapportServer (issue 6): HTTP, lifecycle, logs, metrics, the server's command line.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // DocC catalogs of RapportClient and RapportProtocol (`swift package generate-documentation`);
        // a plugin: built only when documentation is generated.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
        // Issue 16: gzip for pull pages (CompressNIO, what Hummingbird's compression middleware
        // uses; links the system zlib) and HDR latency histograms in rapport-load.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // Already in the graph through AsyncHTTPClient: named for its decompression limit type.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        // Issue 15: PostgreSQL storage for several server instances (Docs/ScaleOut.md).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // System-library shims: module map and header only.
        .systemLibrary(
            name: "CSQLite",
            path: "Modules/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            path: "Modules/COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // Test support only: starts child processes without Foundation's `Process` (ChildProcess.swift).
        .target(
            name: "CSpawn",
            path: "Modules/CSpawn"
        ),

        // Pure domain: entities, field classification, validation: what a client needs.
        .target(
            name: "RapportModels",
            path: "Modules/RapportModels",
            swiftSettings: strictSettings
        ),
        // The server's insight rules: value tiers, RFM, the four early warnings, service indicators.
        .target(
            name: "RapportInsights",
            dependencies: ["RapportModels"],
            path: "Modules/RapportInsights",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportInsightsTests",
            dependencies: [
                "RapportInsights", "RapportModels",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/RapportInsightsTests",
            swiftSettings: strictSettings
        ),
        // The crypto surface the client side uses, as protocols (ClientCryptoSuite, ClientCryptoKey,
        // PageCipherContext), with CryptoError and ScryptParameters: no implementation, no libcrypto.
        .target(
            name: "RapportCryptoCore",
            path: "Modules/RapportCryptoCore",
            swiftSettings: strictSettings
        ),
        // AEAD, KDFs, HMAC, random, key wrapping on libcrypto; LibCryptoClientSuite implements
        // RapportCryptoCore's client surface.
        .target(
            name: "RapportCrypto",
            dependencies: ["COpenSSL", "RapportCryptoCore"],
            path: "Modules/RapportCrypto",
            swiftSettings: strictSettings
        ),
        // Test support shared by every test target.
        .target(
            name: "RapportTesting",
            dependencies: ["RapportModels", "RapportCrypto", "RapportAccess", "CSpawn"],
            path: "Modules/RapportTesting",
            swiftSettings: strictSettings
        ),

        // The encrypted local store: encrypting VFS, key hierarchy, records, outbox (Docs/Store.md).
        .target(
            name: "RapportStore",
            dependencies: [
                // RapportCrypto is the client side's crypto implementation, named in one file
                // (ClientCryptoBackend.swift); swapping it changes this line too.
                "RapportModels", "RapportCryptoCore", "RapportCrypto", "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Modules/RapportStore",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rapport-store-bench",
            dependencies: ["RapportStore", "RapportCrypto"],
            path: "Tools/rapport-store-bench",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportStoreTests",
            dependencies: ["RapportStore", "RapportTesting", "RapportCrypto"],
            path: "Tests/RapportStoreTests",
            swiftSettings: strictSettings
        ),

        // Access-control policy: roles, scopes, grants, masking, quotas, audit chain (issue 4).
        .target(
            name: "RapportAccess",
            dependencies: ["RapportModels", "RapportCrypto"],
            path: "Modules/RapportAccess",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rapport-access-bench",
            dependencies: ["RapportAccess", "RapportModels", "RapportCrypto"],
            path: "Tools/rapport-access-bench",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportAccessTests",
            dependencies: [
                "RapportAccess", "RapportTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/RapportAccessTests",
            swiftSettings: strictSettings
        ),

        // The sync protocol both sides speak: wire types (sync and auth), HLC, cursors,
        // field-level merge, errors (issues 5, 19). Models only, so a third-party server or an
        // app links it without our store or our server.
        .target(
            name: "RapportProtocol",
            dependencies: ["RapportModels"],
            path: "Modules/RapportProtocol",
            swiftSettings: strictSettings
        ),
        // The server's sync core: push/pull, pull planner, storage contract, in-memory reference.
        .target(
            name: "RapportSyncServer",
            dependencies: ["RapportProtocol", "RapportModels"],
            path: "Modules/RapportSyncServer",
            swiftSettings: strictSettings
        ),
        // The client sync engine over the encrypted local store.
        .target(
            name: "RapportSyncClient",
            dependencies: ["RapportProtocol", "RapportStore", "RapportModels"],
            path: "Modules/RapportSyncClient",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportSyncTests",
            dependencies: [
                "RapportProtocol", "RapportSyncServer", "RapportSyncClient", "RapportStore", "RapportModels", "RapportTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/RapportSyncTests",
            swiftSettings: strictSettings
        ),

        // HTTP server: auth, health/metrics, server storage, the rapport-server commands (issue 6).
        .target(
            name: "RapportServer",
            dependencies: [
                "RapportModels", "RapportInsights", "RapportCrypto", "RapportAccess", "RapportProtocol", "RapportSyncServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Modules/RapportServer",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rapport-server",
            dependencies: ["RapportServer", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/rapport-server",
            swiftSettings: strictSettings
        ),
        // rapport-load: simulated devices pushing and pulling against a running server (Docs/Performance.md).
        .executableTarget(
            name: "rapport-load",
            dependencies: [
                "RapportProtocol", "RapportModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ],
            path: "Tools/rapport-load",
            // Profiling scripts and the connection-flood and restart benchmarks beside it (Docs/Performance.md).
            exclude: ["callgrind.sh", "page-bytes.py", "connbench.py", "restartbench.py"],
            swiftSettings: strictSettings
        ),
        // The client library: HTTP transport, session and key lease, live channel (issue 8).
        .target(
            name: "RapportClient",
            dependencies: [
                "RapportModels", "RapportStore", "RapportProtocol", "RapportSyncClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ],
            path: "Modules/RapportClient",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportClientTests",
            dependencies: [
                "RapportClient", "RapportServer", "RapportServerTesting", "RapportTesting", "RapportAccess", "RapportModels",
                "RapportStore", "RapportProtocol", "RapportSyncClient", "RapportSyncServer", "RapportCrypto",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/RapportClientTests",
            swiftSettings: strictSettings
        ),
        // Conformance scenarios for any server implementing the protocol (issue 8).
        .target(
            name: "RapportConformance",
            dependencies: [
                "RapportClient", "RapportModels", "RapportStore", "RapportProtocol", "RapportSyncClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Modules/RapportConformance",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportConformanceTests",
            dependencies: [
                "RapportConformance", "RapportClient", "RapportServer", "RapportServerTesting", "RapportTesting",
                "RapportAccess", "RapportModels",
            ],
            path: "Tests/RapportConformanceTests",
            swiftSettings: strictSettings
        ),
        // rapport-client: a device from the terminal (issue 8).
        .target(
            name: "RapportClientCLI",
            dependencies: [
                "RapportClient", "RapportConformance", "RapportCLISupport", "RapportModels", "RapportStore", "RapportProtocol",
                "RapportSyncClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Modules/RapportClientCLI",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rapport-client",
            dependencies: ["RapportClientCLI"],
            path: "Tools/rapport-client",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportClientCLITests",
            dependencies: [
                "RapportClientCLI", "RapportCLISupport", "RapportClient", "RapportServer", "RapportServerTesting", "RapportTesting",
                "RapportAccess", "RapportModels", "rapport-client",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RapportClientCLITests",
            swiftSettings: strictSettings
        ),
        // Test support for server-side test targets: a real server on an ephemeral port.
        .target(
            name: "RapportServerTesting",
            dependencies: [
                "RapportServer", "RapportTesting", "RapportAccess", "RapportCrypto", "RapportModels", "RapportProtocol",
                "RapportSyncServer", "CSQLite",
                // GRDBSQLite (for FaultVFS's SQLite structs) comes with GRDB.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Modules/RapportServerTesting",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportServerTests",
            dependencies: [
                "RapportServer", "RapportServerTesting", "RapportTesting", "RapportAccess", "RapportCrypto", "RapportProtocol",
                "RapportSyncServer",
                "RapportModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            path: "Tests/RapportServerTests",
            swiftSettings: strictSettings
        ),

        // The insider's attacks over the real HTTP API (issue 14): every property here was shown
        // to fail on the code before its defence, `Docs/Security.md` "Threat model".
        .testTarget(
            name: "RapportSecurityTests",
            dependencies: [
                "RapportServer", "RapportServerTesting", "RapportTesting", "RapportAccess", "RapportCrypto", "RapportProtocol",
                "RapportSyncServer",
                "RapportModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/RapportSecurityTests",
            swiftSettings: strictSettings
        ),

        // Fault injection (issue 17): the real server SIGKILLed under pushing devices, and a
        // randomized sync-history checker behind a fault-injecting TCP proxy (Docs/Reliability.md).
        .testTarget(
            name: "RapportFaultTests",
            dependencies: [
                "RapportServer", "RapportServerTesting", "RapportTesting", "RapportAccess", "RapportProtocol",
                "RapportSyncServer", "RapportModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RapportFaultTests",
            swiftSettings: strictSettings
        ),

        // What both command-line tools print with: aligned tables measured in terminal cells.
        .target(
            name: "RapportCLISupport",
            path: "Modules/RapportCLISupport",
            swiftSettings: strictSettings
        ),

        // rapport-admin: the administrators' command line over the admin API (issue 7).
        .target(
            name: "RapportAdminCLI",
            dependencies: [
                // Protocol: `customer import` pushes creates through the sync endpoint.
                "RapportModels", "RapportAccess", "RapportCLISupport", "RapportProtocol", "RapportCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Modules/RapportAdminCLI",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rapport-admin",
            dependencies: ["RapportAdminCLI"],
            path: "Tools/rapport-admin",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportAdminCLITests",
            dependencies: [
                "RapportAdminCLI", "RapportCLISupport", "RapportServer", "RapportServerTesting", "RapportTesting", "RapportAccess",
                "RapportModels", "RapportProtocol", "RapportSyncServer", "rapport-admin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RapportAdminCLITests",
            swiftSettings: strictSettings
        ),

        .testTarget(
            name: "RapportCryptoTests",
            dependencies: ["RapportCrypto", "RapportTesting"],
            path: "Tests/RapportCryptoTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportModelsTests",
            dependencies: [
                "RapportModels", "RapportTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/RapportModelsTests",
            swiftSettings: strictSettings
        ),
    ]
)
