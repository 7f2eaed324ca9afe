import ArgumentParser
import Foundation
import RapportCLISupport
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// `rapport-client customers`: list, show and search the customers on this device (offline).
public struct CustomersCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "customers", abstract: "List, show and search the customers on this device (offline).",
        subcommands: [List.self, Show.self, Search.self])

    /// Creates the command.
    public init() {}

    /// `customers list`.
    public struct List: AsyncParsableCommand {
        /// The command's description.
        public static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List customers, by name.")

        @OptionGroup var device: DeviceOptions

        /// `me` or a staff id.
        @Option(name: .long, help: ArgumentHelp("Only customers of this owner: me or a staff id.", valueName: "me|id"))
        var owner: String?

        /// A value tier.
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Only this tier: \(ValueTier.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "tier"))
        var tier: String?

        /// A name prefix.
        @Option(
            name: .customLong("name-prefix"), help: ArgumentHelp("Only names starting with this.", valueName: "text"))
        var namePrefix: String?

        /// At most this many.
        @Option(name: .long, help: "At most this many customers.")
        var limit: Int?

        /// Creates the command.
        public init() {}

        /// Checks the filters.
        public func validate() throws {
            if let tier, ValueTier(rawValue: tier) == nil {
                throw ArgumentParser.ValidationError(
                    "'\(tier)' is not a tier; use one of \(ValueTier.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let owner, owner != "me", UUID(uuidString: owner) == nil {
                throw ArgumentParser.ValidationError("--owner takes 'me' or a staff id, not '\(owner)'")
            }
            if let limit, limit < 1 { throw ArgumentParser.ValidationError("--limit must be at least 1") }
        }

        /// Lists.
        public func run() async throws {
            let documents = try await device.withClient { client -> [RecordDocument] in
                let ownerId = owner == "me" ? client.staff.id : owner.flatMap(UUID.init(uuidString:))
                return try await client.store.records(
                    RecordQuery(kind: .customer, ownerId: ownerId, tier: tier, namePrefix: namePrefix, limit: limit))
            }
            try CustomerRows.print(documents, json: device.json)
        }
    }

    /// `customers show ID`.
    public struct Show: AsyncParsableCommand {
        /// The command's description.
        public static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show every field of a customer; masked fields say so.")

        @OptionGroup var device: DeviceOptions

        /// The customer id or its first characters.
        @Argument(help: "The customer id (or its first 4+ characters).")
        var id: String

        /// Creates the command.
        public init() {}

        /// Shows.
        public func run() async throws {
            let (document, masked, pending) = try await device.withClient { client in
                let document = try await RecordLookup.find(id, kind: .customer, in: client.store)
                let masked = await client.engine.maskedPaths[.customer] ?? []
                let pending = try await client.store.outbox().contains { $0.recordId == document.id }
                return (document, masked, pending)
            }
            let fields = try EntityFields.fields(.customer, json: document.json)
            let order = FieldRegistry.fields(of: .customer).map(\.path)
            let custom = fields.keys.filter { $0.hasPrefix(FieldRegistry.customFieldsKey + ".") }.sorted()
            let paths = (order + custom).filter { fields[$0] != nil }
            if device.json {
                Display.printJSON([
                    "id": Display.id(document.id),
                    "fields": .object(fields.filter { !masked.contains($0.key) || !Display.isEmpty($0.value) }),
                    "masked": .array(masked.sorted().filter { fields[$0] != nil }.map(JSONValue.string)),
                    "pendingEdits": .bool(pending),
                ])
                return
            }
            var table = Table(["FIELD", "VALUE"])
            for path in paths {
                let value = fields[path]
                if masked.contains(path) {
                    table.append([path, Display.isEmpty(value) ? "•••• (masked)" : "\(Display.text(value)) (masked)"])
                } else {
                    table.append([path, Display.text(value)])
                }
            }
            Terminal.current.print(table.render())
            if pending { Terminal.current.print("(this customer has local edits not synced yet)") }
        }
    }

    /// `customers search TEXT`.
    public struct Search: AsyncParsableCommand {
        /// The command's description.
        public static let configuration = CommandConfiguration(
            commandName: "search", abstract: "Full-text search over names, contact details and notes on this device.")

        @OptionGroup var device: DeviceOptions

        /// The words to find (each as a prefix).
        @Argument(help: "Words to find; every word must match (as a prefix).")
        var text: [String]

        /// At most this many.
        @Option(name: .long, help: "At most this many customers.")
        var limit: Int = 50

        /// Creates the command.
        public init() {}

        /// Checks the words.
        public func validate() throws {
            if text.joined().trimmingCharacters(in: .whitespaces).isEmpty {
                throw ArgumentParser.ValidationError("give the text to search for")
            }
            if limit < 1 { throw ArgumentParser.ValidationError("--limit must be at least 1") }
        }

        /// Searches.
        public func run() async throws {
            let query = text.joined(separator: " ")
            let documents = try await device.withClient { client in
                try await client.store.search(query, kind: .customer, limit: limit)
            }
            try CustomerRows.print(documents, json: device.json)
        }
    }
}

/// The customer table of `list` and `search`.
enum CustomerRows {
    static func print(_ documents: [RecordDocument], json: Bool) throws {
        let customers = try documents.map { try $0.decode(as: Customer.self) }
        if json {
            Display.printJSON(
                .array(
                    customers.map { customer in
                        [
                            "id": Display.id(customer.id), "name": .string(customer.name),
                            "kind": .string(customer.kind.rawValue),
                            "status": .string(customer.status.rawValue),
                            "tier": customer.effectiveTier.map { .string($0.rawValue) } ?? .null,
                            "ownerId": Display.id(customer.ownerId),
                            "tags": .array(customer.tags.sorted.map(JSONValue.string)),
                            "loyaltyPoints": .int(customer.loyaltyPoints),
                        ]
                    }))
            return
        }
        var table = Table(["ID", "NAME", "KIND", "STATUS", "TIER", "TAGS", "POINTS"])
        for customer in customers {
            table.append([
                Display.short(customer.id), customer.name, customer.kind.rawValue, customer.status.rawValue,
                customer.effectiveTier?.rawValue ?? "—", customer.tags.sorted.joined(separator: ","),
                String(customer.loyaltyPoints),
            ])
        }
        Terminal.current.print(table.render())
        if customers.isEmpty { Terminal.current.printError("no customers on this device match; sync to fetch yours") }
    }
}
