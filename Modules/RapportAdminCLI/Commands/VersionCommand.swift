import ArgumentParser
import Foundation
import RapportModels

/// `rapport-admin version`: this tool's version and the server's (`GET /v1/info`).
public struct VersionCommand: AsyncParsableCommand {
    /// Help and examples.
    public static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show the version of rapport-admin and of the server.",
        discussion: """
            The server's version, sync protocol, storage and build come from its unauthenticated GET /v1/info, so no sign-in is needed, only a server (--server, RAPPORT_SERVER or the saved session's). Exit 1 if the server cannot be asked; --client shows this tool's version alone.

            Examples:
              rapport-admin version
              rapport-admin version --server https://crm.example.com --json
              rapport-admin version --client
            """)

    @OptionGroup public var global: GlobalOptions

    @Flag(help: "Show only this tool's version; do not contact a server.")
    public var client = false

    /// Creates the command.
    public init() {}

    /// This tool's version as JSON.
    static var clientValue: JSONValue {
        .object([
            "name": .string("rapport-admin"),
            "version": .string(RapportVersion.semantic),
            "protocolVersion": .number(Double(RapportVersion.protocolVersion)),
            "build": .string(RapportVersion.build),
            "configuration": .string(RapportVersion.configuration),
        ])
    }

    /// Runs it.
    public func run() async throws {
        if client {
            let terminal = Terminal.current
            if global.json {
                terminal.print(JSONValue.object(["client": Self.clientValue]).prettyPrinted())
            } else {
                terminal.print("Client  " + RapportVersion.line(for: "rapport-admin"))
            }
            return
        }
        try await CommandContext.with(global, authenticated: false) { context in
            let info = try await context.connection.json(.GET, "/v1/info", authenticated: false)
            let value: JSONValue = .object([
                "client": Self.clientValue,
                "server": .object([
                    "url": .string(context.connection.server.url),
                    "version": info["version"] ?? .null,
                    "protocolVersion": info["protocolVersion"] ?? .null,
                    "supportedProtocolVersions": info["supportedProtocolVersions"] ?? .null,
                    "storage": info["storage"] ?? .null,
                    "build": info["build"] ?? .null,
                    "configuration": info["configuration"] ?? .null,
                ]),
            ])
            try context.emitFields(value) { value in
                let server = value["server"]!
                return [
                    ("Client", RapportVersion.line(for: "rapport-admin")),
                    ("Server", server["url"]!.text),
                    ("Server version", server["version"]?.text ?? "unknown"),
                ] + Self.infoFields(server)
            }
        }
    }

    /// The sync protocol, storage and build lines of a server's `GET /v1/info` (shared with `status`).
    static func infoFields(_ info: JSONValue) -> [(String, String)] {
        let protocols = info["supportedProtocolVersions"]?.items().map(\.text).joined(separator: ", ") ?? ""
        return [
            ("Sync protocol", "\(info["protocolVersion"]?.text ?? "unknown") (accepts \(protocols))"),
            ("Storage", info["storage"]?.text ?? "unknown"),
            ("Build", "\(info["build"]?.text ?? "unknown"), \(info["configuration"]?.text ?? "unknown")"),
        ]
    }
}
