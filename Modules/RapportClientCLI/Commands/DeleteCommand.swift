import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// `rapport-client delete ID --yes`: deletes a customer offline (sent with the next sync).
public struct DeleteCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a customer offline; sent with the next sync.")

    @OptionGroup var device: DeviceOptions

    /// The customer id or its first characters.
    @Argument(help: "The customer id (or its first 4+ characters).")
    var id: String

    @OptionGroup var confirmation: ConfirmationOptions

    /// Creates the command.
    public init() {}

    /// Deletes.
    public func run() async throws {
        let customer = try await device.withClient { client -> Customer in
            let customer = try await RecordLookup.customer(id, in: client.store)
            try confirmation.require("Delete \(customer.name) (\(Display.short(customer.id)))?", command: "delete")
            try await client.engine.delete(.customer, id: customer.id)
            return customer
        }
        if device.json {
            Display.printJSON(["id": Display.id(customer.id), "deleted": .bool(true)])
        } else {
            Terminal.current.print(
                "deleted \(customer.name) (\(Display.short(customer.id))) on this device; run rapport-client sync to send it"
            )
        }
    }
}
