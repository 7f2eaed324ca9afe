import ArgumentParser
import Foundation
import RapportCLISupport
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// `rapport-client conflicts [--clear]`: the edits sync reported as lost (conflicts) or
/// refused (rejections), until dismissed.
public struct ConflictsCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "Show lost edits (conflicts) and refused edits (rejections); --clear dismisses them.")

    @OptionGroup var device: DeviceOptions

    /// Dismiss them.
    @Flag(name: .long, help: "Dismiss the reported conflicts and rejections.")
    var clear = false

    /// Creates the command.
    public init() {}

    /// Lists or clears.
    public func run() async throws {
        let (conflicts, rejections, names) = try await device.withClient { client in
            let conflicts = await client.engine.conflicts
            let rejections = await client.engine.rejections
            if clear { try await client.engine.clearReports() }
            let ids = Array(Set(conflicts.map(\.recordId) + rejections.map(\.recordId)))
            var names: [UUID: String] = [:]
            for document in try await client.store.documents(ids: ids) { names[document.id] = document.name }
            return (conflicts, rejections, names)
        }
        func record(_ kind: EntityKind, _ id: UUID) -> String {
            "\(kind.rawValue) \(Display.short(id))" + (names[id].map { " \($0)" } ?? "")
        }
        if device.json {
            Display.printJSON([
                "conflicts": .array(
                    conflicts.map { item in
                        [
                            "entity": .string(item.entity.rawValue), "recordId": Display.id(item.recordId),
                            "field": .string(item.conflict.field),
                            "base": item.conflict.base ?? .null, "yours": item.conflict.yours,
                            "theirs": item.conflict.theirs,
                            "result": item.conflict.result, "winner": .string(item.conflict.winner.rawValue),
                        ]
                    }),
                "rejections": .array(
                    rejections.map { item in
                        [
                            "entity": .string(item.entity.rawValue), "recordId": Display.id(item.recordId),
                            "operation": .string(item.op.rawValue),
                            "code": .string(item.rejection.code.rawValue),
                            "field": item.rejection.field.map(JSONValue.string) ?? .null,
                            "message": .string(item.rejection.message),
                        ]
                    }),
                "cleared": .bool(clear),
            ])
            return
        }
        let terminal = Terminal.current
        if conflicts.isEmpty && rejections.isEmpty {
            terminal.print("no conflicts and no rejected edits")
            return
        }
        if !conflicts.isEmpty {
            var table = Table(["RECORD", "FIELD", "BASE", "YOURS", "THEIRS", "RESULT", "WINNER"])
            for item in conflicts {
                let conflict = item.conflict
                table.append([
                    record(item.entity, item.recordId), conflict.field, Display.text(conflict.base),
                    Display.text(conflict.yours),
                    Display.text(conflict.theirs), Display.text(conflict.result), conflict.winner.rawValue,
                ])
            }
            terminal.print("conflicts (\(conflicts.count)):")
            terminal.print(table.render())
        }
        if !rejections.isEmpty {
            if !conflicts.isEmpty { terminal.print("") }
            var table = Table(["RECORD", "OPERATION", "CODE", "FIELD", "MESSAGE"])
            for item in rejections {
                table.append([
                    record(item.entity, item.recordId), item.op.rawValue, item.rejection.code.rawValue,
                    item.rejection.field ?? "—",
                    item.rejection.message,
                ])
            }
            terminal.print("rejected edits (\(rejections.count)), rolled back to the server's version:")
            terminal.print(table.render())
        }
        if clear {
            terminal.printError("cleared \(conflicts.count) conflicts and \(rejections.count) rejected edits")
        } else {
            terminal.printError("dismiss them with rapport-client conflicts --clear")
        }
    }
}
