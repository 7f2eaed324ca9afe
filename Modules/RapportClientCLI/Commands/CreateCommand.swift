import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// `rapport-client create`: a new customer owned by the signed-in person in their team (offline).
///
/// ```
/// rapport-client create --name "Wang Fang" --phone 13800138000 --tag vip
/// ```
public struct CreateCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a customer owned by you, offline; prints its id.")

    @OptionGroup var device: DeviceOptions

    /// The name.
    @Option(name: .long, help: "The customer's name.")
    var name: String

    /// Individual or enterprise.
    @Option(name: .long, help: "individual or enterprise.")
    var kind: String = "individual"

    /// A phone number (an individual's phone, or an enterprise's person in charge).
    @Option(name: .long, help: "A mobile phone number.")
    var phone: String?

    /// An e-mail address (individuals).
    @Option(name: .long, help: "An e-mail address (individual customers).")
    var email: String?

    /// Notes.
    @Option(name: .long, help: "Notes.")
    var notes: String?

    /// A tier override.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A tier set by hand: \(ValueTier.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "tier"))
    var tier: String?

    /// Tags.
    @Option(name: .customLong("tag"), help: "A tag (repeatable).")
    var tags: [String] = []

    /// How the customer was acquired.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "How the customer was acquired: \(Customer.SourceChannel.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "channel"))
    var source: String = Customer.SourceChannel.service.rawValue

    /// Creates the command.
    public init() {}

    /// Checks the enumerations.
    public func validate() throws {
        guard let kind = Customer.Kind(rawValue: kind) else {
            throw ArgumentParser.ValidationError("--kind is individual or enterprise, not '\(self.kind)'")
        }
        if let tier, ValueTier(rawValue: tier) == nil {
            throw ArgumentParser.ValidationError(
                "'\(tier)' is not a tier; use one of \(ValueTier.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if Customer.SourceChannel(rawValue: source) == nil {
            throw ArgumentParser.ValidationError(
                "'\(source)' is not a source channel; use one of \(Customer.SourceChannel.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if kind == .enterprise, email != nil {
            throw ArgumentParser.ValidationError("--email is for individual customers")
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ArgumentParser.ValidationError("--name must not be empty")
        }
    }

    /// Creates.
    public func run() async throws {
        let customer = try await device.withClient { client -> Customer in
            let kind = Customer.Kind(rawValue: kind) ?? .individual
            let customer = Customer(
                kind: kind, name: name, sourceChannel: Customer.SourceChannel(rawValue: source) ?? .service,
                ownerId: client.staff.id,
                teamId: client.staff.teamId, tierOverride: tier.flatMap(ValueTier.init(rawValue:)), tags: TagSet(tags),
                notes: notes,
                createdAt: Date(),
                individual: kind == .individual
                    ? IndividualProfile(phones: phone.map { [$0] } ?? [], emails: email.map { [$0] } ?? []) : nil,
                enterprise: kind == .enterprise ? EnterpriseProfile(personInChargePhone: phone) : nil)
            try customer.validate()
            try await client.engine.save(customer)
            return customer
        }
        if device.json {
            Display.printJSON(["id": Display.id(customer.id), "name": .string(customer.name)])
        } else {
            Terminal.current.print(customer.id.uuidString.lowercased())
            Terminal.current.printError("created \(customer.name) on this device; run rapport-client sync to send it")
        }
    }
}
