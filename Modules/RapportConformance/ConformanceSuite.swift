import Foundation
import RapportClient
import RapportStore

/// One named conformance check.
public struct ConformanceScenario: Sendable {
    /// A short stable name, e.g. `idempotent-replay`.
    public var name: String
    /// What the scenario shows, in one sentence.
    public var summary: String
    let body: @Sendable (ConformanceContext) async throws -> Void
}

/// The outcome of one scenario.
public struct ScenarioResult: Sendable, Codable, Hashable {
    /// The scenario's name.
    public var name: String
    /// Whether every check held.
    public var passed: Bool
    /// The failure, if any.
    public var detail: String?
    /// How long it took, in seconds.
    public var seconds: Double
}

/// Runs the protocol's conformance scenarios against any server implementing it
/// (`Docs/ClientGuide.md`, "Conformance suite"). Each scenario sets up its own team and staff
/// through the admin API with an administrator's credential, so scenarios are independent and
/// may run against a server that holds other data.
///
/// ```swift
/// let suite = ConformanceSuite(server: try ServerEndpoint(url), adminLogin: "admin", adminPassword: password)
/// let results = try await suite.run()
/// ```
public struct ConformanceSuite: Sendable {
    /// The server under test.
    public var server: ServerEndpoint
    /// An administrator's login name.
    public var adminLogin: String
    /// The administrator's password.
    public var adminPassword: String
    /// PEM certificates to trust (a private CA).
    public var caFile: String?
    /// Where scenario devices keep their stores (a fresh temporary folder by default).
    public var workFolder: String?

    /// Creates a suite.
    public init(server: ServerEndpoint, adminLogin: String, adminPassword: String, caFile: String? = nil, workFolder: String? = nil) {
        self.server = server
        self.adminLogin = adminLogin
        self.adminPassword = adminPassword
        self.caFile = caFile
        self.workFolder = workFolder
    }

    /// Every scenario, in the order they run.
    public static let scenarios: [ConformanceScenario] = Scenarios.all

    /// Runs the named scenarios (all when `names` is empty), one after another, reporting each
    /// result to `progress` as it finishes.
    ///
    /// - Throws: ``ConformanceFailure`` when the administrator cannot sign in or a name is unknown.
    public func run(
        only names: [String] = [], progress: @Sendable (ScenarioResult) async -> Void = { _ in }
    ) async throws -> [ScenarioResult] {
        let known = Set(Self.scenarios.map(\.name))
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw ConformanceFailure("there is no scenario '\(unknown)'; the scenarios are: \(Self.scenarios.map(\.name).joined(separator: ", "))")
        }
        let selected = names.isEmpty ? Self.scenarios : Self.scenarios.filter { names.contains($0.name) }
        let folder = workFolder ?? (NSTemporaryDirectory() + "rapport-conformance-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { if workFolder == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let admin: ProtocolDevice
        do {
            admin = try await ProtocolDevice.signIn(server: server, caFile: caFile, login: adminLogin, password: adminPassword)
        } catch {
            throw ConformanceFailure("the administrator '\(adminLogin)' cannot sign in at \(server): \(error)")
        }
        var results: [ScenarioResult] = []
        for scenario in selected {
            let context = ConformanceContext(server: server, caFile: caFile, admin: admin, folder: folder + "/" + scenario.name)
            let start = ContinuousClock.now
            var detail: String?
            do {
                try await scenario.body(context)
            } catch let failure as ConformanceFailure {
                detail = failure.message
            } catch {
                detail = "unexpected error: \(error)"
            }
            let elapsed = ContinuousClock.now - start
            let result = ScenarioResult(
                name: scenario.name, passed: detail == nil, detail: detail,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            results.append(result)
            await progress(result)
        }
        await admin.close()
        return results
    }
}
