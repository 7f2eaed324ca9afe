import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin device …`: list devices, revoke one, or order it wiped.
public struct DeviceCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Manage devices: list, revoke, wipe.",
        discussion: """
            Revoking or wiping ends every session of the device; its next request is told to erase (crypto-shred) its local data.

            Examples:
              rapport-admin device list --staff "Ana Lima"
              rapport-admin device wipe 0C6F9A3E-1B7D-4C1E-9E4B-2D7A4F0B1C22 --yes
            """,
        subcommands: [List.self, Revoke.self, Wipe.self])

    /// Creates the command.
    public init() {}

    static func table(_ devices: [JSONValue], names: [String: String]) -> Table {
        var table = Table(["ID", "STAFF", "NAME", "PLATFORM", "STATUS", "LAST SEEN"])
        for device in devices {
            let staff = device["staffId"]?.text ?? ""
            table.append([
                device["id"]?.text ?? "", names[staff] ?? staff, device["name"]?.text ?? "",
                device["platform"]?.text ?? "", device["status"]?.text ?? "", device["lastSeenAt"]?.text ?? "",
            ])
        }
        return table
    }

    /// `device list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "List devices (everyone's, or one person's).",
            discussion: """
                Examples:
                  rapport-admin device list
                  rapport-admin device list --staff ana.lima --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Filter.
        @Option(help: "Only this person's devices (name, login name or id).") public var staff: String?
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                var query: [(String, String)] = []
                if let staff { query.append(("staff", Resolver.id(try await Resolver(context).staff(staff)))) }
                let devices = try await context.connection.json(.GET, "/v1/admin/devices", query: query)
                var names: [String: String] = [:]
                if !context.json {
                    for person in try await context.connection.json(.GET, "/v1/admin/staff").items("staff") {
                        names[person["id"]?.text ?? ""] = person["name"]?.text
                    }
                }
                try context.emit(devices) { DeviceCommand.table($0.items("devices"), names: names) }
            }
        }
    }

    /// `device revoke`.
    public struct Revoke: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Revoke a device: its sessions end and it is told to wipe.",
            discussion: """
                Asks for confirmation on a terminal; needs --yes otherwise.

                Examples:
                  rapport-admin device revoke 0C6F9A3E-1B7D-4C1E-9E4B-2D7A4F0B1C22
                """)
        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var confirmation: ConfirmationOptions
        /// Which.
        @Argument(help: "The device id (see `device list`).") public var device: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard UUID(uuidString: device) != nil else {
                throw ValidationError("'\(device)' is not a device id; copy the ID column of `rapport-admin device list`")
            }
        }

        /// Runs it.
        public func run() async throws {
            try await DeviceCommand.act("revoke", device: device, global: global, confirmation: confirmation)
        }
    }

    /// `device wipe`.
    public struct Wipe: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Order a device to erase its local data (and revoke it).",
            discussion: """
                Asks for confirmation on a terminal; needs --yes otherwise.

                Examples:
                  rapport-admin device wipe 0C6F9A3E-1B7D-4C1E-9E4B-2D7A4F0B1C22 --yes
                """)
        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var confirmation: ConfirmationOptions
        /// Which.
        @Argument(help: "The device id (see `device list`).") public var device: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard UUID(uuidString: device) != nil else {
                throw ValidationError("'\(device)' is not a device id; copy the ID column of `rapport-admin device list`")
            }
        }

        /// Runs it.
        public func run() async throws {
            try await DeviceCommand.act("wipe", device: device, global: global, confirmation: confirmation)
        }
    }

    static func act(
        _ action: String, device: String, global: GlobalOptions, confirmation: ConfirmationOptions
    ) async throws {
        try await CommandContext.with(global, dryRun: confirmation.dryRun) { context in
            try await context.confirm(
                "\(action == "wipe" ? "Wipe" : "Revoke") device \(device)? Its sessions end and it must erase its data.",
                command: "device \(action)", confirmation)
            let result = try await context.connection.json(.POST, "/v1/admin/devices/\(device)/\(action)")
            try context.emit(result) { value in
                "Device \(device) (\(value["name"]?.text ?? "")) is \(context.colourise(value["status"]?.text ?? "revoked")); its next request will be told to wipe."
            }
        }
    }
}
