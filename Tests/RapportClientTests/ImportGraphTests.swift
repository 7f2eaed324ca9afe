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
    static let httpClient: Set<String> = nio.union(["AsyncHTTPClient", "NIOHTTPCompression"])

    /// What each module (sources under `Modules/` or `Tools/`) may import besides ``system``:
    /// first-party modules as in the table, then the outside packages that fit its job.
    static let allowed: [String: Set<String>] = [
        "RapportModels": [],
        "RapportCryptoCore": [],
        "RapportCrypto": ["COpenSSL", "RapportCryptoCore"],
        // RapportCrypto in one file only, ClientCryptoBackend.swift (see `clientCryptoInOneFile`).
        "RapportStore": ["RapportModels", "RapportCryptoCore", "RapportCrypto", "CSQLite", "GRDB", "GRDBSQLite"],
        "RapportInsights": ["RapportModels"],
        "RapportProtocol": ["RapportModels"],
        "RapportSyncClient": ["RapportProtocol", "RapportStore", "RapportModels"],
        "RapportSyncServer": ["RapportProtocol", "RapportModels"],
        "RapportAccess": ["RapportModels", "RapportCrypto"],
        "RapportServer": serverSide.union([
            "GRDB", "Hummingbird", "HummingbirdCore", "HummingbirdTLS", "HummingbirdAuth", "HTTPTypes", "NIOCore", "NIOPosix", "NIOSSL",
            "NIOHTTP1", "ServiceLifecycle", "UnixSignals", "Logging", "Metrics", "CoreMetrics", "Prometheus", "ArgumentParser",
            "CompressNIO", "PostgresNIO",
        ]),
        // CSpawn: ChildProcess starts test programs without Foundation's `Process`.
        "RapportTesting": ["RapportModels", "RapportCrypto", "RapportAccess", "CSpawn"],
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
        "RapportAdminCLI": Set([
            "RapportModels", "RapportAccess", "RapportCLISupport", "ArgumentParser", "RapportProtocol", "RapportCrypto",
        ]).union(
            httpClient),
        "rapport-server": ["RapportServer", "ArgumentParser"],
        "rapport-admin": ["RapportAdminCLI"],
        "rapport-client": ["RapportClientCLI"],
        "rapport-load": Set(["RapportProtocol", "RapportModels", "ArgumentParser", "Histogram"]).union(httpClient),
        "rapport-store-bench": ["RapportStore", "RapportCrypto", "RapportModels"],
        "rapport-access-bench": ["RapportAccess", "RapportModels", "RapportCrypto"],
    ]

    /// The table's "all but Store and SyncClient": what the server may build on.
    static let serverSide: Set<String> = [
        "RapportModels", "RapportInsights", "RapportCrypto", "RapportProtocol", "RapportSyncServer", "RapportAccess",
    ]
    /// The client-side modules, none of which knows the server. They reach the crypto
    /// implementation only through RapportStore's `ClientCrypto` binding.
    static let clientSide: Set<String> = [
        "RapportModels", "RapportCryptoCore", "RapportStore", "RapportProtocol", "RapportSyncClient",
    ]
    /// The client-side modules whose sources may name crypto only through `ClientCrypto`.
    static let clientModules = ["RapportStore", "RapportSyncClient", "RapportClient", "RapportConformance", "RapportClientCLI"]
    /// The one file that binds the client side to its crypto implementation.
    static let clientCryptoBackend = "Modules/RapportStore/ClientCryptoBackend.swift"

    /// Products an operator or an administrator runs, and the modules that must not reach them.
    static let serverProducts = ["RapportServer", "rapport-server", "rapport-load", "RapportAdminCLI", "rapport-admin"]
    static let clientOnly: Set<String> = ["RapportStore", "RapportSyncClient", "RapportClient", "CSQLite"]

    /// C modules: the system-library shims (a module map and a header) and the test-only
    /// spawn helper (a header and one C file); no Swift.
    static let shims: Set<String> = ["CSQLite", "COpenSSL", "CSpawn"]

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
                !found.isEmpty || ["RapportCLISupport", "RapportCryptoCore"].contains(module.name),
                "no imports found under \(module.directory.path)")
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

    /// Public type names declared by the sources under `directory` (`public struct X`, ...).
    static func publicTypes(under directory: URL) throws -> Set<String> {
        let files = try #require(FileManager.default.enumerator(atPath: directory.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        let declaration = #/public\s+(?:final\s+)?(?:struct|class|enum|protocol|actor)\s+([A-Za-z_][A-Za-z0-9_]*)/#
        var names: Set<String> = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            names.formUnion(text.matches(of: declaration).map { String($0.output.1) })
        }
        return names
    }

    @Test("the client side names its crypto implementation in one file: ClientCryptoBackend.swift")
    func clientCryptoInOneFile() throws {
        // Every public type of the libcrypto implementation, read from its sources, so a type
        // added there is covered without touching this test.
        let implementation = try Self.publicTypes(under: Self.root.appendingPathComponent("Modules/RapportCrypto"))
        #expect(implementation.isSuperset(of: ["SymmetricKey", "AESGCM", "AESGCMContext", "KeyWrap", "HKDF", "Scrypt", "SecureRandom"]))
        let word = #/[A-Za-z_][A-Za-z0-9_]*/#
        var backendSeen = false
        for module in Self.clientModules {
            let directory = Self.root.appendingPathComponent("Modules/\(module)")
            let files = try #require(FileManager.default.enumerator(atPath: directory.path)).compactMap { $0 as? String }
                .filter { $0.hasSuffix(".swift") }
            for file in files.sorted() {
                let path = "Modules/\(module)/\(file)"
                if path == Self.clientCryptoBackend {
                    backendSeen = true
                    continue
                }
                let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    if let imported = Self.importedModule(line) {
                        #expect(
                            imported != "RapportCrypto" && imported != "COpenSSL",
                            "\(path):\(number + 1) imports \(imported); reach crypto through ClientCrypto")
                    }
                    // Code only: a comment may mention what the implementation is.
                    let code = line.components(separatedBy: "//").first ?? ""
                    let named = Set(code.matches(of: word).map { String($0.output) }).intersection(implementation)
                    #expect(
                        named.isEmpty,
                        "\(path):\(number + 1) names \(named.sorted()) of the crypto implementation; use ClientCrypto or ClientKey")
                }
            }
        }
        #expect(backendSeen, "\(Self.clientCryptoBackend) is missing")
        let backend = try String(contentsOf: Self.root.appendingPathComponent(Self.clientCryptoBackend), encoding: .utf8)
        #expect(backend.contains("public typealias ClientCrypto = "))
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
