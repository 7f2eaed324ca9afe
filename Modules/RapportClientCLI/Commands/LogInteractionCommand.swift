import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// `rapport-client log-interaction CUSTOMER-ID --type visit --summary …`: adds an entry to the
/// customer's communication log (offline).
public struct LogInteractionCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "log-interaction", abstract: "Log a visit, call, message or event with a customer, offline.")

    @OptionGroup var device: DeviceOptions

    /// The customer.
    @Argument(help: "The customer id (or its first 4+ characters).")
    var customer: String

    /// The channel.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "How: \(Interaction.Channel.allCases.map(\.rawValue).joined(separator: ", ")) (call = phone).",
            valueName: "channel"))
    var type: String

    /// What was said.
    @Option(name: .long, help: "What was said.")
    var summary: String

    /// A subject line.
    @Option(name: .long, help: "A short subject line.")
    var subject: String?

    /// Who started it.
    @Option(name: .long, help: "inbound or outbound.")
    var direction: String = Interaction.Direction.outbound.rawValue

    /// What it was for.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Purpose: \(Interaction.Purpose.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "purpose"))
    var purpose: String = Interaction.Purpose.information.rawValue

    /// Minutes.
    @Option(name: .long, help: "How long it took, in minutes.")
    var minutes: Int?

    /// When (ISO 8601).
    @Option(name: .long, help: ArgumentHelp("When it happened, ISO 8601 (default: now).", valueName: "time"))
    var at: String?

    /// Creates the command.
    public init() {}

    /// The channel for `text`; `call` is a phone call.
    static func channel(_ text: String) -> Interaction.Channel? {
        text == "call" ? .phone : Interaction.Channel(rawValue: text)
    }

    /// A time in ISO 8601 (with or without fractional seconds, or a date alone).
    static func time(_ text: String) -> Date? {
        if let date = RapportJSON.date(from: text) { return date }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    /// Checks the enumerations and the time.
    public func validate() throws {
        if Self.channel(type) == nil {
            throw ArgumentParser.ValidationError(
                "'\(type)' is not a channel; use one of call, \(Interaction.Channel.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if Interaction.Direction(rawValue: direction) == nil {
            throw ArgumentParser.ValidationError("--direction is inbound or outbound")
        }
        if Interaction.Purpose(rawValue: purpose) == nil {
            throw ArgumentParser.ValidationError(
                "'\(purpose)' is not a purpose; use one of \(Interaction.Purpose.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let at, Self.time(at) == nil {
            throw ArgumentParser.ValidationError("--at '\(at)' is not an ISO 8601 time such as 2026-03-01T08:30:00Z")
        }
    }

    /// Logs.
    public func run() async throws {
        let interaction = try await device.withClient { client -> Interaction in
            let owner = try await RecordLookup.customer(customer, in: client.store)
            let interaction = Interaction(
                customerId: owner.id, ownerId: client.staff.id, channel: Self.channel(type) ?? .visit,
                direction: Interaction.Direction(rawValue: direction) ?? .outbound,
                purpose: Interaction.Purpose(rawValue: purpose) ?? .information,
                occurredAt: at.flatMap(Self.time) ?? Date(), durationMinutes: minutes, subject: subject,
                summary: summary, createdAt: Date())
            try interaction.validate()
            try await client.engine.save(interaction)
            return interaction
        }
        if device.json {
            Display.printJSON(["id": Display.id(interaction.id), "customerId": Display.id(interaction.customerId)])
        } else {
            Terminal.current.print(interaction.id.uuidString.lowercased())
            Terminal.current.printError(
                "logged the \(interaction.channel.rawValue) on this device; run rapport-client sync to send it")
        }
    }
}
