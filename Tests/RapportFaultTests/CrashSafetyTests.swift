import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// The real `rapport-server` executable SIGKILLed at random moments under concurrently pushing
/// devices, and started again on the same data directory (issue 17, "Crash safety").
///
/// Judged only from the devices' own records: every acknowledged mutation, sent again after the
/// last restart, must come back `replayed` with its first outcome (its id and effect survived);
/// every customer's loyalty points — each mutation adds exactly 1 — must equal the number of
/// acknowledged mutations for it (nothing applied twice, nothing lost); every device must hold
/// what a fresh device of the same person pulls; the audit chain must verify.
///
/// CI runs a reduced count. The full run (Docs/Reliability.md):
/// `RAPPORT_CRASH_KILLS=20 RAPPORT_CRASH_RECORDS=100000 swift test --skip-build --filter CrashSafetyTests`
/// (`RAPPORT_CRASH_SEED` replays a run's kill schedule; `RAPPORT_CRASH_DEVICES` sets the devices).
@Suite("Crash safety: rapport-server SIGKILLed under load")
struct CrashSafetyTests {
    enum KillAim: String, CaseIterable {
        case push, pull, apiBackup, backupCommand, anywhere
    }

    @Test func sigkillLosesNothingAcknowledgedAndAppliesNothingTwice() async throws {
        let seed = SeededRandom.seed(from: "RAPPORT_CRASH_SEED")
        let kills = environmentInt("RAPPORT_CRASH_KILLS", default: 8)
        let deviceCount = environmentInt("RAPPORT_CRASH_DEVICES", default: 8)
        let seedRecords = environmentInt("RAPPORT_CRASH_RECORDS", default: 1_000)
        print(
            "crash safety: seed \(seed) (replay the kill schedule with RAPPORT_CRASH_SEED=\(seed)), \(kills) kills, \(deviceCount) devices, \(seedRecords) seeded records"
        )
        var random = SeededRandom(seed: seed)

        // Prepare the data directory in process (staff, seeded records), then stop gracefully
        // and hand the directory to the real executable.
        let root = try TemporaryDirectory(prefix: "rapport-crash")
        defer { root.remove() }
        let dataDirectory = root.path("data")
        let reps = max(1, deviceCount / 2)
        let preparation = try await LiveServer.start(label: "rapport-crash", logLevel: .error) {
            $0.dataDirectory = dataDirectory
        }
        let admin = preparation.admin
        var staff: [Staff] = []
        for n in 0..<reps { staff.append(try await preparation.addStaff(login: "rep\(n)")) }
        try await preparation.addStaff(login: "seed.rep")
        try await Self.seed(records: seedRecords, server: preparation)
        await preparation.beginShutdown()
        try await preparation.waitStopped()
        preparation.directory.remove()

        let server = try ServerProcess(
            dataDirectory: dataDirectory, port: try ServerProcess.freePort(), logPath: root.path("server.log"))
        var restartTimes: [Duration] = [try await server.start()]
        let wire = WireClient(baseURL: server.baseURL)
        let adminToken = try await wire.login(admin.loginName, password: admin.password).token

        var devices: [CrashDevice] = []
        for n in 0..<deviceCount {
            let person = staff[n % reps]
            let login = try await wire.login("rep\(n % reps)", password: "correct horse battery")
            devices.append(
                CrashDevice(
                    index: n, wire: wire, token: login.token, deviceId: login.device, staffId: person.id,
                    teamId: person.teamId,
                    seed: random.next()))
        }
        let inFlight = InFlight()
        let stop = StopFlag()
        var aims: [KillAim: Int] = [:]
        var landed: [String: Int] = [:]
        var backupCommands: [Task<ToolOutcome, any Error>] = []
        var apiBackups: [Task<Int, Never>] = []

        try await withThrowingTaskGroup(of: Void.self) { group in
            for device in devices {
                group.addTask { try await device.run(creates: 3, maxBatch: 120, stop: stop, inFlight: inFlight) }
            }
            for k in 0..<kills {
                let aim = KillAim.allCases[k % KillAim.allCases.count]
                aims[aim, default: 0] += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 80...400, using: &random)))
                switch aim {
                case .push, .pull:
                    let deadline = ContinuousClock.now + .seconds(10)
                    while inFlight.count(aim.rawValue) == 0, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .microseconds(200))
                    }
                    try await Task.sleep(for: .microseconds(Int.random(in: 0...3_000, using: &random)))
                case .apiBackup:
                    apiBackups.append(
                        Task {
                            inFlight.begin("backup")
                            defer { inFlight.end("backup") }
                            return (try? await wire.send(.POST, "/v1/admin/backup", token: adminToken).status) ?? 0
                        })
                    try await Task.sleep(for: .microseconds(Int.random(in: 500...8_000, using: &random)))
                case .backupCommand:
                    let target = root.path("backup-\(k).sqlite")
                    backupCommands.append(
                        Task {
                            inFlight.begin("backup")
                            defer { inFlight.end("backup") }
                            return try await ToolOutcome.run(
                                server.binary, ["backup", "--data-dir", dataDirectory, "--to", target])
                        })
                    try await Task.sleep(for: .microseconds(Int.random(in: 500...8_000, using: &random)))
                case .anywhere:
                    break
                }
                for what in ["push", "pull", "backup"] where inFlight.count(what) > 0 { landed[what, default: 0] += 1 }
                await server.kill()
                restartTimes.append(try await server.start())
            }
            stop.raise()
            try await group.waitForAll()
        }

        // Backups taken while the server died: the command (its own process) must finish.
        var backupFailures: [String] = []
        for task in backupCommands {
            let outcome = try await task.value
            if outcome.status != 0 { backupFailures.append(outcome.text) }
        }
        let apiBackupStatuses = await apiBackups.asyncMap { await $0.value }
        #expect(backupFailures.isEmpty, "rapport-server backup failed while the server was killed: \(backupFailures)")

        // 1. Every acknowledged mutation, sent again, is answered from its stored outcome.
        var acknowledged = 0
        var notReplayed: [String] = []
        var expectedPoints: [UUID: Int64] = [:]
        for device in devices {
            let ledger = device.ledger
            #expect(
                ledger.acknowledged.count == ledger.mutations.count, "device \(device.index) has unanswered mutations")
            acknowledged += ledger.acknowledged.count
            for (id, result) in ledger.acknowledged {
                let mutation = ledger.mutations[id]!
                #expect(
                    result.status != .rejected,
                    "device \(device.index): \(mutation.recordId) rejected: \(String(describing: result.rejection))")
                if mutation.op == .update, result.status != .rejected {
                    expectedPoints[mutation.recordId, default: 0] += 1
                }
                if mutation.op == .create { expectedPoints[mutation.recordId, default: 0] += 0 }
            }
            let ids = ledger.acknowledged.keys.sorted { $0.uuidString < $1.uuidString }
            for start in stride(from: 0, to: ids.count, by: 200) {
                let batch = ids[start..<min(start + 200, ids.count)].map { ledger.mutations[$0]! }
                let (reply, response) = try await wire.push(batch, token: device.token)
                let answers = try #require(response, "replay push failed: \(reply.status) \(reply.text)")
                for answer in answers.results {
                    let first = ledger.acknowledged[answer.clientMutationId]!
                    if answer.replayed != true || answer.status != first.status || answer.version != first.version {
                        notReplayed.append(
                            "\(answer.clientMutationId): first \(first.status) v\(first.version ?? -1), now \(answer.status) v\(answer.version ?? -1) replayed \(answer.replayed ?? false)"
                        )
                    }
                }
            }
        }
        #expect(notReplayed.isEmpty, "acknowledged mutations the server no longer remembers: \(notReplayed.prefix(10))")

        // 2. and 3. A fresh device of each person pulls the server's truth: the points equal the
        // acknowledged increments, and every device of that person holds exactly the same.
        var lost = 0
        var doubled = 0
        var diverged: [String] = []
        for (n, person) in staff.enumerated() {
            let verifier = try await wire.login("rep\(n)", password: "correct horse battery")
            let fresh = CrashDevice(
                index: -1, wire: wire, token: verifier.token, deviceId: verifier.device, staffId: person.id,
                teamId: person.teamId, seed: 0)
            #expect(await fresh.pullAll(inFlight: InFlight()))
            for (id, truth) in fresh.customers {
                let expected = expectedPoints[id] ?? 0
                if truth.points < expected { lost += Int(expected - truth.points) }
                if truth.points > expected { doubled += Int(truth.points - expected) }
            }
            for device in devices where device.staffId == person.id {
                _ = await device.pullAll(inFlight: InFlight())
                let mine = device.customers.mapValues { "v\($0.version) p\($0.points)" }
                let truth = fresh.customers.mapValues { "v\($0.version) p\($0.points)" }
                if mine != truth {
                    diverged.append("device \(device.index): \(mine.count) records vs \(truth.count) on the server")
                }
            }
        }
        #expect(lost == 0, "\(lost) acknowledged increments lost")
        #expect(doubled == 0, "\(doubled) increments applied twice")
        #expect(diverged.isEmpty, "devices that did not converge: \(diverged)")

        // 4. The audit chain verifies, with the anchors written across the kills.
        let verify = try await wire.send(.POST, "/v1/admin/audit/verify", token: adminToken)
        let report = (try? JSONSerialization.jsonObject(with: verify.body)) as? [String: Any] ?? [:]
        #expect(verify.status == 200 && report["intact"] as? Bool == true, "audit verification: \(verify.text)")

        // A graceful stop and one more start after all the kills.
        await server.stop()
        restartTimes.append(try await server.start())
        await server.stop()

        let ledgers = devices.map(\.ledger)
        let restarts = restartTimes.dropFirst().map {
            Double($0.components.attoseconds) / 1e18 + Double($0.components.seconds)
        }.sorted()
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory + "/backups")) ?? []
        print(
            """
            crash safety (seed \(seed)): \(kills) SIGKILLs survived, aimed \(aims.map { "\($0.key.rawValue) ×\($0.value)" }.sorted().joined(separator: ", "));
              in flight at the kill: \(landed.map { "\($0.key) ×\($0.value)" }.sorted().joined(separator: ", "));
              \(acknowledged) mutations acknowledged, all replayed from stored outcomes; \(lost) lost, \(doubled) applied twice;
              commit window hit: \(ledgers.map(\.committedThenKilled).reduce(0, +)) mutations committed but unanswered when the server died (answered `replayed` on retry), \(ledgers.map(\.killedBeforeCommit).reduce(0, +)) killed before their commit;
              \(ledgers.map(\.retriedPushes).reduce(0, +)) pushes and \(ledgers.map(\.failedPulls).reduce(0, +)) pulls interrupted;
              restart (spawn to /healthz) on \(seedRecords + devices.count * 3) customers: median \(String(format: "%.3f", restarts[restarts.count / 2])) s, max \(String(format: "%.3f", restarts.last ?? 0)) s;
              API backups: statuses \(apiBackupStatuses), files left in backups/: \(leftovers.count)
            """)
        if ProcessInfo.processInfo.environment["RAPPORT_CRASH_MAX_RESTART_SECONDS"].flatMap(Double.init) != nil {
            let limit = Double(ProcessInfo.processInfo.environment["RAPPORT_CRASH_MAX_RESTART_SECONDS"]!)!
            #expect(restarts[restarts.count / 2] < limit, "median restart \(restarts[restarts.count / 2]) s")
        }
    }

    /// Creates `records` customers of `seed.rep` through the in-process server (200 per push).
    static func seed(records: Int, server: LiveServer) async throws {
        guard records > 0 else { return }
        let wire = WireClient(baseURL: server.baseURL)
        let login = try await wire.login("seed.rep", password: "correct horse battery")
        let node = login.device.uuidString.lowercased()
        let millis = Int64(Date().timeIntervalSince1970 * 1000)
        var made = 0
        while made < records {
            let count = min(200, records - made)
            let mutations = try (0..<count).map { n in
                let customer = Customer(
                    kind: .individual, name: "Seeded \(made + n)", sourceChannel: .website, ownerId: login.staff.id,
                    teamId: login.staff.teamId, createdAt: Date(),
                    individual: IndividualProfile(phones: ["13800000000"]))
                return Mutation(
                    clientMutationId: UUID(), entity: .customer, recordId: customer.id, op: .create, baseVersion: 0,
                    fields: try customer.fieldMap().filter { !$0.value.isNull },
                    hlc: try HLCTimestamp(physicalMillis: millis, counter: made + n, node: node))
            }
            let (reply, response) = try await wire.push(mutations, token: login.token)
            guard let response, response.results.allSatisfy({ $0.status == .applied }) else {
                throw WireFailure("seeding failed: \(reply.status) \(reply.text.prefix(500))")
            }
            made += count
        }
    }
}

/// A finished helper process: its status and combined output.
struct ToolOutcome: Sendable {
    var status: Int32
    var text: String

    static func run(_ binary: URL, _ arguments: [String]) async throws -> ToolOutcome {
        let pipe = Pipe()
        let process = try ChildProcess.launch(
            executable: binary, arguments: arguments,
            environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RAPPORT_") },
            standardOutput: pipe.fileHandleForWriting, standardError: pipe.fileHandleForWriting)
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return ToolOutcome(status: await process.exit().status, text: text)
    }
}

extension Array where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var result: [T] = []
        for element in self { result.append(await transform(element)) }
        return result
    }
}
