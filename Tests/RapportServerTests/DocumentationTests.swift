import Foundation
import Hummingbird
import Logging
import RapportServer
import RapportTesting
import Testing

@Suite("Docs agree with the code")
struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `METHOD /path` for each operation under `paths:` in the OpenAPI document.
    static func specOperations() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("Docs/openapi.yaml"), encoding: .utf8)
        var operations: Set<String> = []
        var inPaths = false
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, let first = line.first, first != " ", first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) {
                    operations.insert("\(method) \(path)")
                }
            }
        }
        return operations
    }

    @Test func openAPIPathsMatchTheRegisteredRoutes() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let services = try ServerServices.open(
            configuration: ServerConfiguration(dataDirectory: dir.path("data")), logger: .init(label: "test"))
        let routes = Set(buildRouter(services: services).routes.map { "\($0.method.rawValue) \($0.path)" })
        let spec = try Self.specOperations()
        #expect(!routes.isEmpty)
        #expect(
            routes.subtracting(spec).isEmpty,
            "registered but not in Docs/openapi.yaml: \(routes.subtracting(spec).sorted())")
        #expect(
            spec.subtracting(routes).isEmpty,
            "in Docs/openapi.yaml but not registered: \(spec.subtracting(routes).sorted())")
    }

    @Test func operationsGuideListsEveryConfigurationKey() throws {
        let guide = try String(contentsOf: Self.root.appendingPathComponent("Docs/Operations.md"), encoding: .utf8)
        for key in ConfigurationKey.all {
            #expect(guide.contains("`\(key.name)`"), "Operations.md lacks \(key.name)")
            #expect(guide.contains("`\(key.environmentVariable)`"), "Operations.md lacks \(key.environmentVariable)")
            #expect(guide.contains("`\(key.flag)`"), "Operations.md lacks \(key.flag)")
        }
    }
}
