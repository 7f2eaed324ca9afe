import Foundation
import RapportModels
import RapportSyncServer
import Testing

@Suite("Pull planning")
struct PullPlannerTests {
    static func key(_ n: Int) -> RecordKey { RecordKey(.customer, UUID(uuidString: String(format: "C0000000-0000-4000-8000-%012d", n))!) }
    static func entry(_ seq: Int64, _ n: Int) -> ChangeLogEntry {
        ChangeLogEntry(sequence: seq, key: key(n), version: seq, paths: ["name"], deleted: false, committedAtMillis: 0)
    }

    @Test("scope differences come before the log, and the cursor does not pass undelivered changes")
    func scopeFirst() {
        let planner = PullPlanner(sequence: 10, stableSequence: 20, limit: 2)
        let plan = planner.plan(
            delivered: [Self.key(1), Self.key(2)], visible: [Self.key(2), Self.key(3), Self.key(4)],
            entries: [Self.entry(11, 2)], logExhausted: true)
        #expect(plan.leaving == [Self.key(1)] && plan.entering == [Self.key(3)] && plan.changed.isEmpty)
        #expect(plan.sequence == 10 && plan.hasMore)
        #expect(plan.delivered == [Self.key(2), Self.key(3)])
    }

    @Test("log changes are delivered once per record, and a full page stops before the next record")
    func logPaging() {
        let planner = PullPlanner(sequence: 10, stableSequence: 20, limit: 2)
        let held: Set<RecordKey> = [Self.key(1), Self.key(2), Self.key(3)]
        let entries = [Self.entry(11, 1), Self.entry(12, 1), Self.entry(13, 9), Self.entry(14, 2), Self.entry(15, 3)]
        let plan = planner.plan(delivered: held, visible: held, entries: entries, logExhausted: true)
        #expect(plan.changed == [Self.key(1), Self.key(2)])
        #expect(plan.sequence == 14 && plan.hasMore)
        let rest = PullPlanner(sequence: 14, stableSequence: 20, limit: 2)
            .plan(delivered: held, visible: held, entries: [Self.entry(15, 3)], logExhausted: true)
        #expect(rest.changed == [Self.key(3)] && rest.sequence == 20 && !rest.hasMore)
    }

    @Test("the cursor only reaches the stable mark when the log was read to it")
    func stableMark() {
        let plan = PullPlanner(sequence: 0, stableSequence: 50, limit: 10)
            .plan(delivered: [], visible: [], entries: [Self.entry(1, 1)], logExhausted: false)
        #expect(plan.sequence == 1 && plan.hasMore)
    }
}
