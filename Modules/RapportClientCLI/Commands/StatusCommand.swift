import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// `rapport-client status`: who is signed in, where, and what waits to be synced (offline).
public struct StatusCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the signed-in person, device, lease, last sync and pending edits (offline).")

    @OptionGroup var device: DeviceOptions

    /// Creates the command.
    public init() {}

    /// Shows the status.
    public func run() async throws {
        let json = device.json
        let folder = device.folder
        let facts = try await device.withClient { client -> [(String, JSONValue)] in
            let status = await client.engine.status
            let lease = await client.session.leaseExpiresAt
            let lastContact = await client.session.lastContactAt
            let customers = try await client.store.count(RecordQuery(kind: .customer))
            let last = status.lastSuccessMillis.map { Date(timeIntervalSince1970: Double($0) / 1000) }
            return [
                ("signedIn", .string(client.staff.name)),
                ("staffId", Display.id(client.staff.id)),
                ("roles", .array(client.staff.roles.map(JSONValue.string))),
                ("server", .string(client.server.baseURL)),
                ("deviceId", Display.id(client.device.id)),
                ("deviceName", .string(client.device.name)),
                ("directory", .string(folder.path)),
                ("leaseExpiresAt", .string(Display.date(lease))),
                ("lastContact", .string(Display.date(lastContact))),
                ("lastSync", .string(Display.date(last))),
                ("pendingEdits", .int(Int64(status.pendingCount))),
                ("conflicts", .int(Int64(status.conflictCount))),
                ("rejections", .int(Int64(status.rejectionCount))),
                ("customers", .int(Int64(customers))),
            ]
        }
        if json {
            Display.printJSON(.object(Dictionary(uniqueKeysWithValues: facts)))
            return
        }
        let labels = [
            "signedIn": "signed in", "staffId": "staff id", "roles": "roles", "server": "server", "deviceId": "device",
            "deviceName": "device name", "directory": "folder", "leaseExpiresAt": "lease until",
            "lastContact": "last contact",
            "lastSync": "last sync", "pendingEdits": "pending edits", "conflicts": "conflicts",
            "rejections": "rejected edits",
            "customers": "customers",
        ]
        let width = labels.values.map(\.count).max() ?? 0
        for (key, value) in facts {
            let label = labels[key] ?? key
            Terminal.current.print(
                label + ":" + String(repeating: " ", count: width - label.count + 2) + Display.text(value))
        }
    }
}
