import ArgumentParser
import Foundation
import RapportClient

/// `rapport-client conformance`: runs the conformance scenarios against a server and prints
/// pass or fail for each; exits 1 if any fails.
public struct ConformanceCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the protocol conformance scenarios against a server.",
        discussion: """
            Each scenario creates its own team and staff through the admin API (so give an administrator's credential) and plays devices with real encrypted stores in a temporary folder.

            The administrator's password comes from --admin-password-stdin, else RAPPORT_ADMIN_PASSWORD.

            Examples:
              rapport-client conformance --server http://127.0.0.1:8080 --admin-login admin < admin-password.txt --admin-password-stdin
              rapport-client conformance --list
            """)

    @Option(help: "The server's base URL.")
    var server: String?
    @Option(help: "An administrator's login name.")
    var adminLogin = "admin"
    @Flag(help: "Read the administrator's password from standard input (else RAPPORT_ADMIN_PASSWORD).")
    var adminPasswordStdin = false
    @Option(name: .customLong("scenario"), help: "Run only this scenario (repeatable).")
    var scenarios: [String] = []
    @Option(help: "PEM certificates to trust (a private CA).")
    var caFile: String?
    @Flag(help: "List the scenarios and exit.")
    var list = false
    @Flag(help: "Print results as JSON.")
    var json = false

    /// Creates the command.
    public init() {}

    /// Checks the arguments.
    public func validate() throws {
        if list { return }
        guard let server else { throw ValidationError("give the server with --server URL") }
        do { _ = try ServerEndpoint(server) } catch { throw ValidationError(error.message) }
        let known = Set(ConformanceSuite.scenarios.map(\.name))
        for name in scenarios where !known.contains(name) {
            throw ValidationError("there is no scenario '\(name)'; see --list")
        }
    }

    /// Runs the suite.
    public func run() async throws {
        if list {
            for scenario in ConformanceSuite.scenarios {
                print(scenario.name.padding(toLength: 26, withPad: " ", startingAt: 0) + scenario.summary)
            }
            return
        }
        let password: String
        if adminPasswordStdin {
            password = (readLine(strippingNewline: true) ?? "")
        } else if let value = ProcessInfo.processInfo.environment["RAPPORT_ADMIN_PASSWORD"] {
            password = value
        } else {
            throw ValidationError("give the administrator's password with --admin-password-stdin or RAPPORT_ADMIN_PASSWORD")
        }
        guard !password.isEmpty else { throw ValidationError("the administrator's password is empty") }
        let suite = ConformanceSuite(server: try ServerEndpoint(server ?? ""), adminLogin: adminLogin, adminPassword: password, caFile: caFile)
        let json = self.json
        let results = try await suite.run(only: scenarios) { result in
            guard !json else { return }
            let mark = result.passed ? "PASS" : "FAIL"
            var line = "\(mark)  \(result.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(format: "%6.2f s", result.seconds))\n"
            if let detail = result.detail { line += "      \(detail)\n" }
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        let failed = results.filter { !$0.passed }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        } else {
            print("\(results.count - failed.count) of \(results.count) scenarios passed against \(suite.server)")
        }
        if !failed.isEmpty { throw ExitCode.failure }
    }
}
