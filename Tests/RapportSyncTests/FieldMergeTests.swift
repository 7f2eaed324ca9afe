import Foundation
import PropertyBased
import RapportModels
import RapportProtocol
import Testing

@Suite("Field-level merge")
struct FieldMergeTests {
    static let record = UUID()
    static func stamp(_ millis: Int64, _ node: String = "a") -> HLCTimestamp {
        try! HLCTimestamp(physicalMillis: 1_772_000_000_000 + millis, counter: 0, node: node)
    }
    static func update(_ fields: FieldMap, base: FieldMap?, baseVersion: Int64, at millis: Int64, node: String = "a") -> Mutation {
        Mutation(
            clientMutationId: UUID(), entity: .customer, recordId: record, op: .update, baseVersion: baseVersion,
            fields: fields, base: base, hlc: stamp(millis, node))
    }

    let current: FieldMap = ["name": "theirs", "loyaltyPoints": 150, "tags": ["a", "c"], "notes": "n"]
    let state: [String: FieldState] = [
        "name": FieldState(clock: stamp(50, "b"), version: 5, sequence: 9),
        "loyaltyPoints": FieldState(clock: stamp(50, "b"), version: 5, sequence: 9),
        "tags": FieldState(clock: stamp(50, "b"), version: 5, sequence: 9),
        "notes": FieldState(clock: stamp(1, "b"), version: 1, sequence: 1),
    ]

    @Test("a field not changed since the base takes yours, whatever the clocks")
    func unchangedTakesYours() throws {
        let outcome = try FieldMerge.update(
            Self.update(["notes": "mine"], base: ["notes": "n"], baseVersion: 4, at: 0), current: current, state: state)
        #expect(outcome.values == ["notes": "mine"] && outcome.conflicts.isEmpty && !outcome.concurrent)
    }

    @Test("last writer wins by HLC and the loser is reported with base, yours, theirs, result")
    func lastWriterWins() throws {
        let lose = try FieldMerge.update(Self.update(["name": "yours"], base: ["name": "base"], baseVersion: 4, at: 10), current: current, state: state)
        #expect(lose.values["name"] == "theirs")
        #expect(lose.conflicts == [FieldConflict(field: "name", base: "base", yours: "yours", theirs: "theirs", result: "theirs", winner: .theirs)])
        let win = try FieldMerge.update(Self.update(["name": "yours"], base: ["name": "base"], baseVersion: 4, at: 90), current: current, state: state)
        #expect(win.values["name"] == "yours" && win.conflicts.first?.winner == .yours)
    }

    @Test("counters add both deltas; sets merge additions and removals")
    func counterAndSet() throws {
        let outcome = try FieldMerge.update(
            Self.update(["loyaltyPoints": 130, "tags": ["b"]], base: ["loyaltyPoints": 120, "tags": ["a"]], baseVersion: 4, at: 10),
            current: current, state: state)
        #expect(outcome.values["loyaltyPoints"] == 160)
        #expect(outcome.values["tags"] == ["b", "c"])
        #expect(outcome.conflicts.isEmpty && outcome.concurrent)
    }

    @Test("server-only, immutable and unknown fields are refused; a counter without base is refused when concurrent")
    func refusals() {
        func code(_ fields: FieldMap, base: FieldMap? = nil) -> RejectionCode? {
            do {
                _ = try FieldMerge.update(Self.update(fields, base: base, baseVersion: 4, at: 1), current: current, state: state)
                return nil
            } catch { return error.rejection.code }
        }
        #expect(code(["tier": "key"]) == .serverOnlyField)
        #expect(code(["version": 9]) == .serverOnlyField)
        #expect(code(["kind": "enterprise"]) == .immutableField)
        #expect(code(["nonsense": 1]) == .invalidMutation)
        #expect(code(["loyaltyPoints": 5]) == .invalidMutation)
    }

    @Test("the merge is deterministic and the same from either side of a two-way race")
    func symmetric() async {
        let names = Gen.int(in: 0...3).map { "v\($0)" }
        await propertyCheck(count: 200, input: names, names, Gen.int(in: 0...100), Gen.int(in: 0...100)) { a, b, ta, tb in
            // Two devices edit "name" from the same base; either may reach the server first.
            let base: FieldMap = ["name": "base"]
            func run(first: (String, Int64, String), second: (String, Int64, String)) throws -> JSONValue? {
                let one = try FieldMerge.update(
                    Self.update(["name": .string(first.0)], base: base, baseVersion: 1, at: first.1, node: first.2),
                    current: base, state: ["name": FieldState(clock: Self.stamp(-1, "z"), version: 1, sequence: 1)])
                let afterOne = base.merging(one.values) { $1 }
                let two = try FieldMerge.update(
                    Self.update(["name": .string(second.0)], base: base, baseVersion: 1, at: second.1, node: second.2),
                    current: afterOne, state: ["name": FieldState(clock: one.clocks["name"]!, version: 2, sequence: 2)])
                return afterOne.merging(two.values) { $1 }["name"]
            }
            let ab = try? run(first: (a, Int64(ta), "a"), second: (b, Int64(tb), "b"))
            let ba = try? run(first: (b, Int64(tb), "b"), second: (a, Int64(ta), "a"))
            #expect(ab == ba)
        }
    }
}
