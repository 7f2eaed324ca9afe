import Foundation
import Testing

/// Every module imports only what its row of the module table allows (`Docs/Architecture.md`,
/// "Module map"), both in its sources' `import` lines and in its `Package.swift` dependencies;
/// and the server-side products link nothing of the client store, not even through another
/// module. The client side stays free of the server, so it can ship in an app.
@Suite("Module import graph")
struct ImportGraphTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardizedFileURL

    /// Modules of the toolchain every module may import.
    static let system: Set<String> = [
        "Foundation", "FoundationEssentials", "Dispatch", "Synchronization", "Glibc", "Musl", "Darwin",
    ]

    static let nio: Set<String> = ["NIOCore", "NIOHTTP1", "NIOSSL"]
    static let httpClient: Set<String> = nio.union(["AsyncHTTPClient"])

    /// What each module (sources under `Modules/` or `Tools/`) may import besides ``system``:
    /// first-party modules as in the table, then the outside packages that fit its job.
    static let allowed: [String: Set<String>] = [
        "RapportModels": [],
        "RapportCrypto": ["COpenSSL"],
        "RapportStore": ["RapportModels", "RapportCrypto", "CSQLite", "GRDB", "GRDBSQLite"],
        "RapportInsights": ["RapportModels"],
        "RapportProtocol": ["RapportModels"],
        "RapportSyncClient": ["RapportProtocol", "RapportStore", "RapportModels"],
        "RapportSyncServer": ["RapportProtocol", "RapportModels"],
        "RapportAccess": ["RapportModels", "RapportCrypto"],
        "RapportServer": serverSide.union([
            "GRDB", "Hummingbird", "HummingbirdCore", "HummingbirdTLS", "HTTPTypes", "NIOCore", "NIOPosix", "NIOSSL",
            "ServiceLifecycle", "UnixSignals", "Logging", "Metrics", "CoreMetrics", "Prometheus", "ArgumentParser",
        ]),
        "RapportTesting": ["RapportModels", "RapportCrypto", "RapportAccess"],
        // CSQLite and GRDBSQLite: the fault-injecting test VFS (FaultVFS); no server product links it.
        "RapportServerTesting": serverSide.union([
            "RapportServer", "RapportTesting", "ServiceLifecycle", "Logging", "CSQLite", "GRDB", "GRDBSQLite",
        ]).union(httpClient),
        "RapportClient": clientSide.union(httpClient),
        "RapportConformance": clientSide.union(["RapportClient", "ArgumentParser", "NIOHTTP1"]),
        "RapportClientCLI": clientSide.union([
            "RapportClient", "RapportConformance", "RapportCLISupport", "ArgumentParser",
        ]),
        "RapportCLISupport": [],
        "RapportAdminCLI": Set(["RapportModels", "RapportAccess", "RapportCLISupport", "ArgumentParser"]).union(
            httpClient),
        "rapport-server": ["RapportServer", "ArgumentParser"],
        "rapport-admin": ["RapportAdminCLI"],
        "rapport-client": ["RapportClientCLI"],
        "rapport-load": Set(["RapportProtocol", "RapportModels", "ArgumentParser"]).union(httpClient),
        "rapport-store-bench": ["RapportStore", "RapportCrypto", "RapportModels"],
        "rapport-access-bench": ["RapportAccess", "RapportModels", "RapportCrypto"],
    ]

    /// The table's "all but Store and SyncClient": what the server may build on.
    static let serverSide: Set<String> = [
        "RapportModels", "RapportInsights", "RapportCrypto", "RapportProtocol", "RapportSyncServer", "RapportAccess",
    ]
    /// The client-side modules, none of which knows the server.
    static let clientSide: Set<String> = [
        "RapportModels", "RapportCrypto", "RapportStore", "RapportProtocol", "RapportSyncClient",
    ]

    /// Products an operator or an administrator runs, and the modules that must not reach them.
    static let serverProducts = ["RapportServer", "rapport-server", "rapport-load", "RapportAdminCLI", "rapport-admin"]
    static let clientOnly: Set<String> = ["RapportStore", "RapportSyncClient", "RapportClient", "CSQLite"]

    /// System-library shims: a module map and a header, no Swift.
    static let shims: Set<String> = ["CSQLite", "COpenSSL"]

    /// Every source module, as (name, directory).
    static func sourceModules() throws -> [(name: String, directory: URL)] {
        try ["Modules", "Tools"].flatMap { folder in
            let base = root.appendingPathComponent(folder)
            return try FileManager.default.contentsOfDirectory(atPath: base.path).sorted()
                .filter { !$0.hasPrefix(".") && !shims.contains($0) }
                .map { (name: $0, directory: base.appendingPathComponent($0)) }
        }
    }

    /// The module an `import` line names (`@testable import X`, `public import X`,
    /// `import struct X.Y`), or `nil` for other lines.
    static func importedModule(_ line: Substring) -> String? {
        var words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        while let first = words.first,
            first.hasPrefix("@") || ["public", "package", "internal", "private", "fileprivate"].contains(first)
        {
            words.removeFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        let kinds: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let", "actor"]
        let path = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
        return path.split(separator: ".").first.map(String.init)
    }

    /// The modules imported by the Swift sources under `directory`, with a file that imports each.
    static func imports(under directory: URL) throws -> [String: String] {
        let files = try #require(FileManager.default.enumerator(atPath: directory.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        var result: [String: String] = [:]
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                if let module = importedModule(line) { result[module] = file }
            }
        }
        return result
    }

    /// Each target's dependencies in `Package.swift`: names of targets and of products.
    static func packageDependencies() throws -> [String: Set<String>] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let targetDeclaration =
            #/\.(?:target|executableTarget|testTarget)\(\s*name:\s*"([^"]+)"(?:,\s*dependencies:\s*\[([^\]]*)\])?/#
        let quoted = #/(?:\.product\(\s*name:\s*)?"([^"]+)"(?:,\s*package:\s*"[^"]+"\))?/#
        var result: [String: Set<String>] = [:]
        for match in manifest.matches(of: targetDeclaration) {
            let list = match.output.2.map(String.init) ?? ""
            result[String(match.output.1)] = Set(list.matches(of: quoted).map { String($0.output.1) })
        }
        return result
    }

    @Test("every module's imports are in its row of the module table")
    func sourcesImportOnlyTheirRow() throws {
        let modules = try Self.sourceModules()
        #expect(modules.count >= Self.allowed.count)
        for module in modules {
            let allowed = try #require(
                Self.allowed[module.name], "\(module.name) has no row in the import table; add one")
            let found = try Self.imports(under: module.directory)
            #expect(
                !found.isEmpty || module.name == "RapportCLISupport", "no imports found under \(module.directory.path)")
            for (imported, file) in found.sorted(by: { $0.key < $1.key }) where !Self.system.contains(imported) {
                #expect(
                    allowed.contains(imported),
                    "\(module.name)/\(file) imports \(imported), which its row does not allow")
            }
        }
    }

    @Test("every module's Package.swift dependencies are in its row of the module table")
    func manifestDependsOnlyOnTheRow() throws {
        let dependencies = try Self.packageDependencies()
        for (module, allowed) in Self.allowed {
            let declared = try #require(dependencies[module], "Package.swift declares no target \(module)")
            for dependency in declared.sorted() {
                #expect(
                    allowed.contains(dependency),
                    "Package.swift: \(module) depends on \(dependency), which its row does not allow")
            }
        }
    }

    @Test("the server, the load tool and the admin tool link nothing of the client store, even indirectly")
    func serverProductsLinkNoClientStore() throws {
        let dependencies = try Self.packageDependencies()
        for product in Self.serverProducts {
            var reached: Set<String> = []
            var queue = [product]
            while let next = queue.popLast() {
                for dependency in dependencies[next] ?? [] where reached.insert(dependency).inserted {
                    queue.append(dependency)
                }
            }
            #expect(
                reached.isDisjoint(with: Self.clientOnly),
                "\(product) reaches \(reached.intersection(Self.clientOnly).sorted())")
        }
    }

    @Test("the import parser reads the forms Swift allows")
    func parser() {
        #expect(Self.importedModule("import RapportModels") == "RapportModels")
        #expect(Self.importedModule("@testable import RapportSyncServer") == "RapportSyncServer")
        #expect(Self.importedModule("public import struct RapportStore.EncryptedStore") == "RapportStore")
        #expect(Self.importedModule("@preconcurrency internal import GRDB") == "GRDB")
        #expect(Self.importedModule("// import RapportServer") == nil)
        #expect(Self.importedModule("let important = 1") == nil)
    }
}
