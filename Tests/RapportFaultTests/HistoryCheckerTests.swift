import Foundation
import Testing

/// Randomized sync histories in the style of Jepsen's Elle (issue 17, "A history checker"):
/// devices of two reps and their manager edit overlapping customers offline and sync through a
/// fault-injecting TCP proxy (a request dropped before the server, an answer dropped after the
/// server applied it, a pull page cut mid-way), between server restarts, reassignments and a
/// device revocation. The whole history is checked against the protocol (Docs/Protocol.md):
/// no acknowledged edit lost, every lost edit reported to its author as a conflict, every
/// device ending with exactly its scope of the server's state, nothing delivered out of scope.
///
/// Seeds are printed. `RAPPORT_HISTORY_SEED=<seed>` replays one exactly; `RAPPORT_HISTORY_SEEDS=<n>`
/// checks n random seeds; `RAPPORT_HISTORY_OPS=<n>` sets the operations per history. A failing
/// history is shrunk (devices, then runs of operations) and printed.
@Suite("Sync history checker")
struct HistoryCheckerTests {
    @Test func randomHistoriesKeepTheProtocolsGuarantees() async throws {
        let operations = environmentInt("RAPPORT_HISTORY_OPS", default: 60)
        let seeds: [UInt64]
        if let text = ProcessInfo.processInfo.environment["RAPPORT_HISTORY_SEED"], let seed = UInt64(text) {
            seeds = [seed]
        } else {
            var random = SeededRandom(seed: SeededRandom.seed(from: "RAPPORT_HISTORY_SEED_BASE"))
            seeds = (0..<environmentInt("RAPPORT_HISTORY_SEEDS", default: 6)).map { _ in random.next() >> 1 }
        }
        var totals: [String: Int] = [:]
        for seed in seeds {
            let program = HistoryProgram.generate(seed: seed, operations: operations)
            let run = HistoryRun(program)
            try await run.run()
            totals.merge(run.stats, uniquingKeysWith: +)
            if run.violations.isEmpty {
                print(
                    "history seed \(seed): ok (\(run.stats.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))"
                )
                continue
            }
            print(
                "history seed \(seed) FAILED; replay with RAPPORT_HISTORY_SEED=\(seed) RAPPORT_HISTORY_OPS=\(operations). Shrinking…"
            )
            let minimal = try await shrinkHistory(program)
            let report = """
                history seed \(seed) violates the protocol's guarantees:
                \(run.violations.prefix(10).map { "  - \($0)" }.joined(separator: "\n"))
                minimal failing history (\(minimal.program.ops.count) of \(program.ops.count) operations):
                \(minimal.program)
                its run:
                \(minimal.log.joined(separator: "\n"))
                """
            print(report)
            Issue.record(Comment(rawValue: report))
        }
        print(
            "history checker: \(seeds.count) histories of \(operations) operations; \(totals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
        )
    }
}
