import Foundation
import Logging
import RapportModels
import RapportServer
import RapportServerTesting
import RapportSyncServer
import RapportTesting
import Testing

/// The client killed mid-work (issue 17, "Client side"): the built `rapport-client` — the
/// `RapportClient` library and sync engine over the encrypted store — SIGKILLed while it pulls
/// pages and while it writes edits to its outbox, then run again on the same device folder.
/// Nothing acknowledged or reported saved may be lost, the store must open, and the device must
/// end with exactly the server's records.
@Suite("Client crash safety: rapport-client SIGKILLed")
struct ClientCrashTests {
    @Test func killedDuringPullsAndOutboxWritesLosesNothingAndResumes() async throws {
        let seed = SeededRandom.seed(from: "RAPPORT_CLIENT_CRASH_SEED")
        var random = SeededRandom(seed: seed)
        let records = environmentInt("RAPPORT_CLIENT_CRASH_RECORDS", default: 800)
        let kills = environmentInt("RAPPORT_CLIENT_CRASH_KILLS", default: 3)
        print(
            "client crash safety: seed \(seed) (RAPPORT_CLIENT_CRASH_SEED), \(records) records, \(kills) kills per phase"
        )
        let binary = try ToolProcess.executable(named: "rapport-client")
        let home = try TemporaryDirectory(prefix: "rapport-client-crash")
        defer { home.remove() }
        let folder = home.path("phone")
        let environment = ["HOME": home.url.path, "NO_COLOR": "1"]
        func spawn(_ arguments: [String], stdin: String = "") throws -> Spawned {
            try Spawned(
                binary, arguments + ["--dir", folder], environment: environment, stdin: stdin, scratch: home.url.path)
        }
        func status() async throws -> [String: Any] {
            let outcome = try await spawn(["status", "--json"]).wait()
            return (try? JSONSerialization.jsonObject(with: Data(outcome.output.utf8))) as? [String: Any] ?? [
                "output": outcome.output
            ]
        }

        try await LiveServer.withRunning(label: "rapport-client-crash", logLevel: .error) { server in
            try await server.addStaff(login: "seed.rep")
            try await CrashSafetyTests.seed(records: records, server: server)
            let login = try await spawn(
                ["login", "--server", server.baseURL, "--login-name", "seed.rep", "--password-stdin"],
                stdin: "correct horse battery\n"
            ).wait()
            try #require(login.status == 0, "\(login.output)")

            // 1. Killed while pulling (the first sync pages through every record).
            // After each kill the store must open, and hold whole pages only: what it holds grows
            // from kill to kill (pages applied before a kill are kept, with their cursor).
            var killedPulls = 0
            var held: [Int] = []
            for _ in 0..<kills {
                let sync = try spawn(["sync"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...2_500, using: &random)))
                if await sync.kill() { killedPulls += 1 }
                let now = try await status()
                let count = try #require(now["customers"] as? Int, "the store did not open after the kill: \(now)")
                #expect(count % 200 == 0 || count == records, "a partial page was kept: \(count) customers")
                held.append(count)
            }
            #expect(held == held.sorted(), "records were lost between kills: \(held)")
            let resumed = try await spawn(["sync"]).wait()
            #expect(resumed.status == 0, "\(resumed.output)")
            let afterPulls = try await status()
            #expect(afterPulls["customers"] as? Int == records, "\(afterPulls)")
            #expect(afterPulls["pendingEdits"] as? Int == 0, "\(afterPulls)")

            // 2. Killed while writing edits to the outbox (each `create` opens the store, writes the
            // record and its outbox entry in one transaction, and prints the id once committed).
            var confirmed: Set<String> = []
            var attempted: Set<String> = []
            var killedWrites = 0
            for n in 0..<(kills * 3) {
                let name = "Killed \(n)"
                attempted.insert(name)
                let create = try spawn(["create", "--name", name, "--phone", "13800000000"])
                // Spread over the command's life: some finish, some die before or during the write.
                try await Task.sleep(for: .milliseconds(n * 40 + Int.random(in: 0...30, using: &random)))
                if await create.kill() {
                    killedWrites += 1
                } else {
                    let outcome = await create.wait()
                    #expect(outcome.status == 0, "\(outcome.output)")
                    if outcome.status == 0 { confirmed.insert(name) }
                }
            }
            let pushed = try await spawn(["sync"]).wait()
            #expect(pushed.status == 0, "\(pushed.output)")
            let final = try await status()
            #expect(final["pendingEdits"] as? Int == 0, "\(final)")

            // The server holds every confirmed create, nothing never attempted, and the device
            // exactly what the server holds.
            let stored = try await server.services.adminHooks.records!.liveRecords(of: [.customer])
            let killedOnServer = Set(
                stored.compactMap { $0.fields["name"]?.stringValue }.filter { $0.hasPrefix("Killed ") })
            #expect(
                confirmed.isSubset(of: killedOnServer),
                "lost confirmed creates: \(confirmed.subtracting(killedOnServer))")
            #expect(killedOnServer.isSubset(of: attempted))
            #expect(final["customers"] as? Int == records + killedOnServer.count, "\(final)")
            print(
                "client crash safety (seed \(seed)): \(killedPulls) syncs killed mid-way (customers held after each kill: \(held)), \(killedWrites) creates killed; \(confirmed.count) confirmed creates all on the server, \(killedOnServer.count - confirmed.count) killed ones committed before the kill; device converged on \(records + killedOnServer.count) customers"
            )
        }
    }
}
