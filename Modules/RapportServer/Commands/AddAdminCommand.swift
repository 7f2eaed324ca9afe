import ArgumentParser
import Foundation
import Logging
import RapportAccess

/// `rapport-server add-admin --data-dir D --login L --name N`: creates another administrator on
/// the operator's authority and prints its one-time password. The server must be stopped.
///
/// A fresh installation has one administrator, and every widening change — making a second
/// administrator among them — waits for a second administrator (`Docs/Security.md`,
/// "Separation of duties"). Whoever runs this holds the data directory, which is outside the
/// administrators' separation of duties anyway; the command leaves an `operatorAddedAdministrator`
/// audit entry, sealed and anchored at once.
public struct AddAdminCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "add-admin",
        abstract: "Create another administrator (server stopped); prints its one-time password.")

    @Option(name: .long, help: "Data directory of the server.") var dataDir: String = "./rapport-data"
    @Option(name: .long, help: "The new administrator's login name.") var login: String
    @Option(name: .long, help: "The new administrator's name.") var name: String
    @Option(name: .long, help: "Audit anchor file, if not the data directory's audit-anchors.log.")
    var auditAnchorFile: String?

    /// Creates the command (argument parsing fills it).
    public init() {}

    /// Creates the administrator.
    public func run() async throws {
        do {
            let credential = try await Self.addAdministrator(
                dataDirectory: dataDir, login: login, name: name, auditAnchorFile: auditAnchorFile)
            print(
                """
                Created the administrator '\(name)'.
                  login name: \(credential.loginName)
                  password:   \(credential.password)
                This password is shown once and never logged. Sign in and change it.
                """)
        } catch {
            FileHandle.standardError.write(Data("rapport-server add-admin: \(ServerError.from(error).message)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Opens the stopped server's data directory as the server would (privacy, lock, audit
    /// anchors), creates the administrator, audits it and seals the audit head.
    ///
    /// - Throws: ``ServerError/Code/notFound`` without a server database there; the lock's
    ///   error while a server runs on it; ``ServerError/Code/conflict`` for a taken login name.
    public static func addAdministrator(
        dataDirectory: String, login: String, name: String, auditAnchorFile: String? = nil
    ) async throws -> BootstrapCredential {
        let directory = DataDirectory(path: dataDirectory)
        guard FileManager.default.fileExists(atPath: directory.databasePath) else {
            throw ServerError(.notFound, "there is no server database in '\(dataDirectory)'; check --data-dir")
        }
        var configuration = ServerConfiguration(dataDirectory: dataDirectory)
        configuration.auditAnchorFile = auditAnchorFile
        var logger = Logger(label: "rapport-server.add-admin")
        logger.logLevel = .warning
        let (services, lock) = try await ServerRunner.prepare(configuration: configuration, logger: logger) { _ in }
        defer { lock?.release() }
        let (staff, credential) = try await services.identity.addAdministrator(loginName: login, name: name)
        _ = try await services.audit.record(
            "operatorAddedAdministrator", actor: nil, records: [staff.id],
            reason: "rapport-server add-admin (operator with the data directory) as '\(credential.loginName)'")
        try await services.audit.checkpointNow()
        return credential
    }
}
