// swift-tools-version:6.2
import PackageDescription

/// Release builds of the extraction layers let their callers inline across modules (full cross-module
/// optimization): `decant-bench extract` was slower after the layer split than with one target.
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "Decant",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Decant", targets: ["DecantCore", "DecantHTML", "DecantExtract", "DecantFetch", "DecantSources", "DecantSpool", "DecantArchive", "DecantPostgres"]),
        .executable(name: "decant", targets: ["decant"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CUchardet", pkgConfig: "uchardet",
            providers: [.apt(["libuchardet-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CIDN2", pkgConfig: "libidn2",
            providers: [.apt(["libidn2-dev"])]),
        // The base: configuration, the fetched-page value, URL resolution, small utilities.
        .target(
            name: "DecantCore",
            dependencies: [],
            swiftSettings: crossModule),
        // libxml2, charset detection and transcoding, and the node view of a parsed page.
        .target(
            name: "DecantHTML",
            dependencies: ["DecantCore", "CLibXML2", "CUchardet"],
            swiftSettings: crossModule),
        // Cleaner, metadata, renderers and `Article`: no network, no SQLite.
        .target(
            name: "DecantExtract",
            dependencies: ["DecantCore", "DecantHTML", "CZlib"],
            swiftSettings: crossModule),
        // libcurl, robots.txt, host scheduling, address policy, IDNA and the validator store.
        .target(
            name: "DecantFetch",
            dependencies: [
                "DecantCore", "DecantArchive", "CCurl", "CIDN2",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // Feeds, sitemaps, OPML and robots.txt sitemap lines.
        .target(
            name: "DecantSources",
            dependencies: ["DecantCore", "DecantExtract", "DecantFetch", "CLibXML2"]),
        // WARC files: a streaming reader (plain or gzip member per record), HTTP payloads, a rotating writer.
        .target(
            name: "DecantArchive",
            dependencies: ["DecantCore", "CZlib", .product(name: "Crypto", package: "swift-crypto")]),
        // The queue and journal, delivery to out/, and the service.
        .target(
            name: "DecantSpool",
            dependencies: [
                "DecantCore", "DecantExtract", "DecantFetch", "DecantArchive", "DecantSources",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The PostgreSQL queue backend (`queue.backend: "postgres"`): schema migrations and the shared queue.
        .target(
            name: "DecantPostgres",
            dependencies: [
                "DecantCore", "DecantSpool",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // A cluster node's service: the spool's intake and URL work on the shared queue.
        .target(
            name: "DecantCluster",
            dependencies: [
                "DecantCore", "DecantExtract", "DecantFetch", "DecantSpool", "DecantPostgres",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "decant",
            dependencies: [
                "DecantCore", "DecantExtract", "DecantFetch", "DecantSpool", "DecantArchive", "DecantPostgres", "DecantCluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "decant-bench",
            dependencies: [
                "DecantCore", "DecantHTML", "DecantExtract", "DecantFetch", "DecantSpool",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Shared test helpers (a spool in a temporary folder, stub fetcher and extractor, the fault server,
        // fixture paths, WARC builders, tmpfs mounts), in the shape of swift-nio's NIOTestUtils.
        .target(
            name: "DecantTestSupport",
            dependencies: [
                "DecantCore", "DecantExtract", "DecantFetch", "DecantSources", "DecantSpool", "DecantArchive",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DecantTestSupport"),
        .testTarget(
            name: "DecantTests",
            dependencies: [
                "DecantTestSupport",
                "DecantCore", "DecantHTML", "DecantExtract", "DecantFetch", "DecantSources", "DecantSpool", "DecantArchive", "CLibXML2",
                "DecantPostgres", "DecantCluster",
                "decant",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
