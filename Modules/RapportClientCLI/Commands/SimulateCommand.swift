import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore

/// `rapport-client simulate`: plays many devices against a server, makes random offline edits
/// for a while, syncs everything and checks that the devices converged (exit 1 if not).
///
/// ```
/// rapport-client simulate --server http://127.0.0.1:8080 --devices 8 --duration 30 --seed 7
/// ```
public struct SimulateCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Play many devices making random offline edits, then check they converge.",
        discussion: """
            Each device is a real client with its own folder and encrypted store, signed in round-robin as the --login staff (default: the demo reps ana.rep and tomas.rep of rapport-server --demo). Devices sync first, then edit offline (names, notes where not masked, tags, loyalty points, new customers, interactions) and sync at random moments; then every device syncs until a round changes nothing. Converged means every outbox is empty, devices of the same person hold identical records, and devices of people with the same roles agree on the records both hold. Exit 1 if not.
            """)

    /// The server's base URL.
    @Option(name: .long, help: ArgumentHelp("Server URL.", valueName: "url"))
    var server: String

    /// How many devices.
    @Option(name: .long, help: "How many devices (1–200).")
    var devices: Int = 4

    /// Seconds of editing.
    @Option(name: .long, help: "Seconds of offline editing.")
    var duration: Double = 10

    /// Staff as name:password.
    @Option(
        name: .customLong("login"),
        help: ArgumentHelp("A member of staff as name:password (repeatable).", valueName: "name:password"))
    var logins: [String] = []

    /// At most this many edits per device.
    @Option(
        name: .customLong("edits-per-device"),
        help: "Stop a device after this many edits (default: edit for the whole duration).")
    var editsPerDevice: Int?

    /// The seed.
    @Option(name: .long, help: "Seed of the random choices (repeat a run with the same seed).")
    var seed: UInt64 = 1

    /// Where the device folders go.
    @Option(
        name: .customLong("dir-root"),
        help: ArgumentHelp("Folder for the device folders (default: a new temporary folder).", valueName: "path"))
    var dirRoot: String?

    /// Keep the device folders.
    @Flag(name: .long, help: "Keep the device folders (signed in) instead of signing out and removing them.")
    var keep = false

    /// A PEM file of certificate authorities to trust.
    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("PEM certificate(s) to trust for a server with a private CA.", valueName: "pem"))
    var caFile: String?

    /// JSON output.
    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    /// Creates the command.
    public init() {}

    /// The default staff: the demo reps of `rapport-server --demo`.
    public static let demoLogins = [
        Simulation.Login(name: "ana.rep", password: "demo-salesRep-2024"),
        Simulation.Login(name: "tomas.rep", password: "demo-salesRep-2024"),
    ]

    /// The logins given, or the demo reps.
    func parsedLogins() throws -> [Simulation.Login] {
        if logins.isEmpty { return Self.demoLogins }
        return try logins.map { text in
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
                text.index(after: colon) != text.endIndex
            else {
                throw ArgumentParser.ValidationError("--login '\(text)' is malformed; write it as name:password")
            }
            return Simulation.Login(name: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        }
    }

    /// Checks the numbers and logins.
    public func validate() throws {
        do {
            _ = try ServerEndpoint(server)
        } catch {
            throw ArgumentParser.ValidationError(error.message)
        }
        guard (1...200).contains(devices) else {
            throw ArgumentParser.ValidationError("--devices must be between 1 and 200")
        }
        guard duration > 0, duration <= 86_400 else {
            throw ArgumentParser.ValidationError("--duration must be more than 0 seconds (at most a day)")
        }
        if let editsPerDevice, editsPerDevice < 1 {
            throw ArgumentParser.ValidationError("--edits-per-device must be at least 1")
        }
        _ = try parsedLogins()
    }

    /// Simulates.
    public func run() async throws {
        let terminal = Terminal.current
        let madeRoot = dirRoot == nil
        let root =
            dirRoot
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent(
                "rapport-simulate-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let configuration = Simulation.Configuration(
            server: try ServerEndpoint(server), devices: devices, duration: duration, logins: try parsedLogins(),
            editsPerDevice: editsPerDevice, seed: seed, root: root, keep: keep, caFile: caFile)
        let result: Simulation.Result
        do {
            result = try await Simulation(configuration).run { terminal.printError($0) }
        } catch {
            if madeRoot, !keep { try? FileManager.default.removeItem(atPath: root) }
            throw error
        }
        if madeRoot, !keep { try? FileManager.default.removeItem(atPath: root) }
        if json {
            Display.printJSON(Self.json(result, configuration))
        } else {
            for line in Self.lines(result, configuration) { terminal.print(line) }
        }
        if !result.converged {
            throw ClientCLIError("the devices did not converge (\(result.differences.count) differences); see above")
        }
    }

    static func kinds(_ edits: [String: Int]) -> String {
        ["name", "notes", "tags", "points", "create", "interaction"].compactMap { key in
            edits[key].map { "\(key) \($0)" }
        }.joined(separator: ", ")
    }

    static func lines(_ result: Simulation.Result, _ configuration: Simulation.Configuration) -> [String] {
        var edits: [String: Int] = [:]
        for device in result.devices { edits.merge(device.edits, uniquingKeysWith: +) }
        let staff = Set(result.devices.map(\.login)).sorted()
        let sum = { (key: KeyPath<Simulation.DeviceSummary, Int>) in result.devices.reduce(0) { $0 + $1[keyPath: key] }
        }
        var lines = [
            "devices:      \(result.devices.count) (\(staff.joined(separator: ", "))) against \(configuration.server), seed \(configuration.seed)",
            "edits:        \(result.totalEdits) in \(String(format: "%.1f", result.elapsed)) s — \(String(format: "%.1f", result.editsPerSecond)) mutations/s (\(kinds(edits)))",
            "syncs:        \(sum(\.syncs)) during the run (\(sum(\.failedSyncs)) failed), then \(result.settleRounds) settle round\(result.settleRounds == 1 ? "" : "s")\(result.settled ? "" : " (still changing)")",
            "pushed:       \(sum(\.pushed)) mutations applied or merged by the server",
            "conflicts:    \(sum(\.conflicts)) reported, rejections: \(sum(\.rejections)), failed local edits: \(sum(\.failedEdits))",
            "records:      "
                + result.devices.map { "device \($0.index) (\($0.login)) \($0.records)" }.joined(separator: ", "),
        ]
        if result.converged {
            lines.append("converged:    yes — every outbox is empty; devices of the same person hold identical records")
        } else {
            let pending = result.devices.filter { $0.pending > 0 }.map {
                "device \($0.index) has \($0.pending) pending"
            }
            lines.append("converged:    NO")
            for line in pending + result.differences.prefix(20) { lines.append("  " + line) }
            if result.differences.count > 20 { lines.append("  … and \(result.differences.count - 20) more") }
        }
        return lines
    }

    static func json(_ result: Simulation.Result, _ configuration: Simulation.Configuration) -> JSONValue {
        [
            "server": .string(configuration.server.baseURL), "seed": .int(Int64(bitPattern: configuration.seed)),
            "elapsedSeconds": .double(result.elapsed), "edits": .int(Int64(result.totalEdits)),
            "editsPerSecond": .double(result.editsPerSecond),
            "settleRounds": .int(Int64(result.settleRounds)), "settled": .bool(result.settled),
            "converged": .bool(result.converged),
            "differences": .array(result.differences.map(JSONValue.string)),
            "devices": .array(
                result.devices.map { device in
                    [
                        "index": .int(Int64(device.index)), "login": .string(device.login),
                        "edits": .object(device.edits.mapValues { .int(Int64($0)) }),
                        "syncs": .int(Int64(device.syncs)),
                        "failedSyncs": .int(Int64(device.failedSyncs)), "pushed": .int(Int64(device.pushed)),
                        "conflicts": .int(Int64(device.conflicts)), "rejections": .int(Int64(device.rejections)),
                        "records": .int(Int64(device.records)), "pending": .int(Int64(device.pending)),
                    ]
                }),
        ]
    }
}
