import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore

/// `rapport-client logout`: ends the session and crypto-shreds the device folder.
public struct LogoutCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Sign out and shred this device's local data.",
        discussion: "Refuses while local edits are not synced, unless --discard-pending --yes.")

    @OptionGroup var device: DeviceOptions

    /// Sign out even with unsynced edits (they are lost).
    @Flag(
        name: .customLong("discard-pending"), help: "Sign out even though local edits are not synced (they are lost).")
    var discardPending = false

    @OptionGroup var confirmation: ConfirmationOptions

    /// Creates the command.
    public init() {}

    /// Signs out.
    public func run() async throws {
        let folder = device.folder
        let client: RapportClient
        do {
            client = try await RapportClient.open(directory: folder, options: DeviceOptions.clientOptions())
        } catch let error as ClientError where error.code == .notSignedIn {
            throw ClientCLIError("no one is signed in in \(folder.path); run rapport-client login")
        }
        let name = client.staff.name
        do {
            let pending = try await client.store.outbox().count
            if pending > 0 {
                guard discardPending else {
                    throw ClientCLIError(
                        "\(pending) local edit\(pending == 1 ? " is" : "s are") not synced yet; run rapport-client sync first, or logout --discard-pending --yes to lose them"
                    )
                }
                try confirmation.require(
                    "Sign \(name) out and lose \(pending) unsynced edits?", command: "logout --discard-pending")
            }
            try await client.signOut(discardingPendingEdits: discardPending)
        } catch {
            await client.close()
            throw error
        }
        if device.json {
            Display.printJSON(["signedOut": .string(name), "directory": .string(folder.path)])
        } else {
            Terminal.current.print("signed out \(name); the local data in \(folder.path) was shredded")
        }
    }
}
