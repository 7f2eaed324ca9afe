import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// `rapport-client edit ID --set path=value …`: edits customer fields offline.
///
/// Masked fields are refused (their values on this device are not the real ones), unknown
/// paths are refused with close matches, and the edited customer is validated before it is
/// saved.
///
/// ```
/// rapport-client edit 3f2a --set name="Wang Fang" --set tags='["vip","export"]' --set paymentTermDays=30
/// ```
public struct EditCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Edit customer fields offline by registry path.",
        discussion: """
            A value that parses as JSON is taken as JSON (tags='["vip"]', paymentTermDays=30, notes=null); otherwise as text (name=Wang Fang). Paths are those of the field registry: name, notes, tags, loyaltyPoints, individual.phones, enterprise.industry, customFields.region, …
            """)

    @OptionGroup var device: DeviceOptions

    /// The customer id or its first characters.
    @Argument(help: "The customer id (or its first 4+ characters).")
    var id: String

    /// The assignments.
    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("A field to change, as path=value (repeatable).", valueName: "path=value"))
    var assignments: [String] = []

    /// Creates the command.
    public init() {}

    /// Checks the assignments' form and paths.
    public func validate() throws {
        if assignments.isEmpty { throw ArgumentParser.ValidationError("give at least one --set path=value") }
        do {
            _ = try parsed()
        } catch let error as ClientCLIError {
            throw ArgumentParser.ValidationError(error.message)
        }
    }

    func parsed() throws -> [FieldAssignment] {
        try assignments.map { try FieldAssignment(parsing: $0, kind: .customer) }
    }

    /// Edits.
    public func run() async throws {
        let changes = try parsed()
        let (customer, changed) = try await device.withClient { client -> (Customer, Int) in
            let document = try await RecordLookup.find(id, kind: .customer, in: client.store)
            let masked = await client.engine.maskedPaths[.customer] ?? []
            if let refused = changes.first(where: { masked.contains($0.path) }) {
                throw ClientCLIError(
                    "'\(refused.path)' is masked for you on this device, so it cannot be edited here; ask someone who may see it (a manager) to change it"
                )
            }
            var fields = try EntityFields.fields(.customer, json: document.json)
            for change in changes { fields[change.path] = change.value }
            let customer: Customer
            do {
                customer = try Customer.from(fieldMap: fields)
            } catch let error as RapportModels.ValidationError {
                throw error
            } catch {
                throw ClientCLIError("the values do not fit the fields (\(Self.typeHint(changes))); nothing was saved")
            }
            try MaskedValidation.validate(.customer, fields: try customer.fieldMap(), masked: masked)
            let entry = try await client.engine.save(customer)
            return (customer, entry == nil ? 0 : changes.count)
        }
        if device.json {
            Display.printJSON(["id": Display.id(customer.id), "changed": .bool(changed > 0)])
        } else if changed == 0 {
            Terminal.current.print("nothing changed: \(customer.name) already has these values")
        } else {
            Terminal.current.print(
                "saved \(customer.name) (\(Display.short(customer.id))) on this device; run rapport-client sync to send it"
            )
        }
    }

    static func typeHint(_ changes: [FieldAssignment]) -> String {
        changes.map { change in
            "\(change.path) takes \(FieldRegistry.descriptor(.customer, change.path)?.valueType.name ?? "json")"
        }.joined(separator: "; ")
    }
}
