import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin status`: the server's version, sync protocol and storage (`GET /v1/info`),
/// health and readiness, counts of staff, teams and devices, and open alerts.
public struct StatusCommand: AsyncParsableCommand {
    /// Help and examples.
    public static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the server's version, protocol, storage, health, counts and active alerts.",
        discussion: """
            Version, sync protocol, storage and build come from the server's GET /v1/info (as `rapport-admin version` shows them); a server without it shows the version from its Server header.

            Examples:
              rapport-admin status
              rapport-admin status --json | jq .counts
            """)

    @OptionGroup public var global: GlobalOptions

    /// Creates the command.
    public init() {}

    /// Runs it.
    public func run() async throws {
        try await CommandContext.with(global) { context in
            let connection = context.connection
            let health = try await connection.send(.GET, "/healthz", authenticated: false)
            let ready = await Self.readiness(connection)
            let info = try await Self.info(connection)
            let version = info?["version"]?.text ?? health.header("Server") ?? "unknown"
            // Each count comes from its own endpoint; one the server does not offer shows as such.
            let staffList = try await Self.optional(connection, "/v1/admin/staff")
            let teamList = try await Self.optional(connection, "/v1/admin/teams")
            let deviceList = try await Self.optional(connection, "/v1/admin/devices")
            let staff = staffList ?? [], teams = teamList ?? [], devices = deviceList ?? []
            let unavailable = "not offered by this server"
            var byStatus: [String: JSONValue] = [:]
            for person in staff {
                let status = person["status"]?.text ?? "unknown"
                byStatus[status] = .number(Double((byStatus[status]?.int ?? 0) + 1))
            }
            let activeDevices = devices.filter { $0["status"]?.text == "active" }.count
            let (alerts, alertNote) = try await Self.openAlerts(connection)
            let session = await connection.session
            let value: JSONValue = .object([
                "server": .string(connection.server.url),
                "version": .string(version),
                "protocolVersion": info?["protocolVersion"] ?? .null,
                "supportedProtocolVersions": info?["supportedProtocolVersions"] ?? .null,
                "storage": info?["storage"] ?? .null,
                "build": info?["build"] ?? .null,
                "health": .string(health.status == 200 ? "ok" : "HTTP \(health.status)"),
                "readiness": .string(ready),
                "signedInAs": session.map { .string($0.staffName) } ?? .null,
                "counts": .object([
                    "staff": staffList == nil ? .null : .number(Double(staff.count)),
                    "staffByStatus": staffList == nil ? .null : .object(byStatus),
                    "teams": teamList == nil ? .null : .number(Double(teams.count)),
                    "devices": deviceList == nil ? .null : .number(Double(devices.count)),
                    "activeDevices": deviceList == nil ? .null : .number(Double(activeDevices)),
                ]),
                "activeAlerts": alerts,
            ])
            try context.emitFields(value) { value in
                var fields: [(String, String)] = [
                    ("Server", value["server"]!.text),
                    ("Version", value["version"]!.text),
                ]
                if let info { fields += VersionCommand.infoFields(info) }
                fields += [
                    ("Health", value["health"]!.text),
                    ("Readiness", value["readiness"]!.text),
                ]
                if let who = session { fields.append(("Signed in as", "\(who.staffName) (\(who.loginName))")) }
                let statusText = byStatus.keys.sorted().map { "\($0) \(byStatus[$0]!.text)" }.joined(separator: ", ")
                fields += [
                    ("Staff", staffList == nil ? unavailable : "\(staff.count)" + (statusText.isEmpty ? "" : " (\(statusText))")),
                    ("Teams", teamList == nil ? unavailable : "\(teams.count)"),
                    ("Devices", deviceList == nil ? unavailable : "\(devices.count) (\(activeDevices) active)"),
                    ("Active alerts", alertNote ?? "\(alerts.items().count)"),
                ]
                return fields
            }
            if !context.json, case .array(let open) = alerts, !open.isEmpty {
                context.terminal.print("")
                context.terminal.print(AlertCommand.table(open).render())
            }
        }
    }

    /// The items at `path`, or `nil` if the server does not offer it.
    static func optional(_ connection: AdminConnection, _ path: String) async throws -> [JSONValue]? {
        do {
            return try await connection.json(.GET, path).items()
        } catch {
            guard error.httpStatus == 404 || error.httpStatus == 405 else { throw error }
            return nil
        }
    }

    /// The server's `GET /v1/info`, or `nil` if it does not offer it (an older server).
    static func info(_ connection: AdminConnection) async throws -> JSONValue? {
        do {
            return try await connection.json(.GET, "/v1/info", authenticated: false)
        } catch {
            guard error.httpStatus == 404 || error.httpStatus == 405 else { throw error }
            return nil
        }
    }

    static func readiness(_ connection: AdminConnection) async -> String {
        do {
            return try await connection.json(.GET, "/readyz", authenticated: false)["status"]?.text ?? "unknown"
        } catch {
            return "not ready (\(error.message))"
        }
    }

    /// Open alerts, or a note when the server has no alerts endpoint.
    static func openAlerts(_ connection: AdminConnection) async throws -> (JSONValue, String?) {
        do {
            let value = try await connection.json(.GET, "/v1/admin/alerts", query: [("status", "open")])
            return (.array(value.items("alerts")), nil)
        } catch {
            guard error.httpStatus == 404 || error.httpStatus == 405 else { throw error }
            return (.null, "not offered by this server")
        }
    }
}
