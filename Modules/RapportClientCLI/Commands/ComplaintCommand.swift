import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// `rapport-client complaint`: open a complaint and move it through its stages (offline).
///
/// Stages only move forward: received → acknowledged → investigating → resolved → followed up
/// → closed (`Complaint.advance(to:at:)`).
public struct ComplaintCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "complaint", abstract: "Open a complaint and advance it through its stages, offline.",
        subcommands: [Open.self, Advance.self])

    /// Creates the command.
    public init() {}

    /// `complaint open CUSTOMER-ID --title … --description …`.
    public struct Open: AsyncParsableCommand {
        /// The command's description.
        public static let configuration = CommandConfiguration(
            commandName: "open", abstract: "Record a complaint received from a customer; prints its id.",
            discussion: "The title becomes the first line of the description (complaints have no separate title field)."
        )

        @OptionGroup var device: DeviceOptions

        /// The customer.
        @Argument(help: "The customer id (or its first 4+ characters).")
        var customer: String

        /// The title.
        @Option(name: .long, help: "What the complaint is about, in a few words.")
        var title: String

        /// The description.
        @Option(name: .long, help: "The customer's account of the problem.")
        var description: String

        /// The severity.
        @Option(
            name: .long,
            help: ArgumentHelp(
                "\(Complaint.Severity.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "severity"))
        var severity: String = Complaint.Severity.medium.rawValue

        /// A category.
        @Option(name: .long, help: "The organisation's category for it.")
        var category: String?

        /// Creates the command.
        public init() {}

        /// Checks the severity.
        public func validate() throws {
            if Complaint.Severity(rawValue: severity) == nil {
                throw ArgumentParser.ValidationError(
                    "'\(severity)' is not a severity; use one of \(Complaint.Severity.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            if title.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ArgumentParser.ValidationError("--title must not be empty")
            }
        }

        /// Opens.
        public func run() async throws {
            let complaint = try await device.withClient { client -> Complaint in
                let owner = try await RecordLookup.customer(customer, in: client.store)
                let now = Date()
                let stamp = ISO8601DateFormatter.string(
                    from: now, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withYear, .withMonth, .withDay])
                let id = UUID()
                let complaint = Complaint(
                    id: id, customerId: owner.id, ownerId: client.staff.id,
                    number: "CMP-\(stamp)-\(id.uuidString.prefix(6))",
                    severity: Complaint.Severity(rawValue: severity) ?? .medium,
                    category: category, receivedAt: now, description: "\(title)\n\n\(description)", createdAt: now)
                try complaint.validate()
                try await client.engine.save(complaint)
                return complaint
            }
            if device.json {
                Display.printJSON([
                    "id": Display.id(complaint.id), "number": .string(complaint.number),
                    "stage": .string(complaint.stage.rawValue),
                ])
            } else {
                Terminal.current.print(complaint.id.uuidString.lowercased())
                Terminal.current.printError(
                    "opened complaint \(complaint.number) (received) on this device; run rapport-client sync to send it"
                )
            }
        }
    }

    /// `complaint advance COMPLAINT-ID [--to STAGE] [--note …]`.
    public struct Advance: AsyncParsableCommand {
        /// The command's description.
        public static let configuration = CommandConfiguration(
            commandName: "advance", abstract: "Move a complaint to its next stage (or --to a later one).",
            discussion:
                "Stages: \(Complaint.Stage.allCases.map(\.rawValue).joined(separator: " → ")). A note given when resolving (or later) is recorded as the resolution."
        )

        @OptionGroup var device: DeviceOptions

        /// The complaint.
        @Argument(help: "The complaint id (or its first 4+ characters).")
        var complaint: String

        /// The target stage.
        @Option(name: .long, help: ArgumentHelp("The stage to move to (default: the next one).", valueName: "stage"))
        var to: String?

        /// A note.
        @Option(name: .long, help: "How it was resolved (recorded as the resolution from 'resolved' on).")
        var note: String?

        /// Creates the command.
        public init() {}

        /// Checks the stage name.
        public func validate() throws {
            if let to, Complaint.Stage(rawValue: to) == nil {
                throw ArgumentParser.ValidationError(
                    "'\(to)' is not a stage; use one of \(Complaint.Stage.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }

        /// Advances.
        public func run() async throws {
            let (updated, from) = try await device.withClient { client -> (Complaint, Complaint.Stage) in
                var record = try await RecordLookup.find(complaint, kind: .complaint, in: client.store).decode(
                    as: Complaint.self)
                let from = record.stage
                let target: Complaint.Stage
                if let to, let stage = Complaint.Stage(rawValue: to) {
                    target = stage
                } else {
                    guard let next = Complaint.Stage.allCases.first(where: { $0 > record.stage }) else {
                        throw ClientCLIError("complaint \(record.number) is already closed; it has no next stage")
                    }
                    target = next
                }
                try record.advance(to: target, at: max(Date(), record.timestamp(of: record.stage) ?? record.receivedAt))
                if let note {
                    guard target >= .resolved else {
                        throw ClientCLIError(
                            "--note is recorded as the resolution, so it needs --to resolved or a later stage (the complaint would be at '\(target.rawValue)')"
                        )
                    }
                    if (await client.engine.maskedPaths[.complaint] ?? []).contains("resolution") {
                        throw ClientCLIError(
                            "the resolution is masked for you on this device, so --note cannot be saved here; advance without --note"
                        )
                    }
                    record.resolution = note
                }
                let masked = await client.engine.maskedPaths[.complaint] ?? []
                try MaskedValidation.validate(.complaint, fields: try record.fieldMap(), masked: masked)
                try await client.engine.save(record)
                return (record, from)
            }
            if device.json {
                Display.printJSON([
                    "id": Display.id(updated.id), "from": .string(from.rawValue),
                    "stage": .string(updated.stage.rawValue),
                ])
            } else {
                Terminal.current.print(
                    "complaint \(updated.number): \(from.rawValue) → \(updated.stage.rawValue) on this device; run rapport-client sync to send it"
                )
            }
        }
    }
}
