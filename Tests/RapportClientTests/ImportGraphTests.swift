import Foundation
import Testing

/// The client library must stay usable by an iOS app: nothing of the server in its imports,
/// nor in the client-side modules it builds on (`Docs/Architecture.md`).
@Suite("Client import graph")
struct ImportGraphTests {
    static let modules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Modules").standardizedFileURL

    static let forbidden = ["RapportServer", "RapportSyncServer", "RapportAccess", "RapportAdminCLI", "Hummingbird", "ServiceLifecycle", "Prometheus"]

    @Test("RapportClient, RapportSyncClient, RapportProtocol, RapportStore, RapportCrypto and RapportModels import nothing of the server", arguments: [
        "RapportClient", "RapportSyncClient", "RapportProtocol", "RapportStore", "RapportCrypto", "RapportModels",
    ])
    func noServerImports(_ module: String) throws {
        let root = Self.modules.appendingPathComponent(module)
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty, "no sources found under \(root.path)")
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
                let name = line.split(separator: " ").last.map(String.init) ?? ""
                #expect(!Self.forbidden.contains(name), "\(module)/\(file) imports \(name)")
            }
        }
    }
}
