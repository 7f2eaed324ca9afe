import Foundation
import RapportModels
import RapportProtocol
import RapportTesting
import Testing

/// A seeded mutation fuzzer over the bytes a server decodes from strangers: push bodies, pull
/// bodies and cursors. Every input either decodes or is refused with a typed ``SyncError``;
/// nothing crashes, hangs or throws anything else, and a cursor that parses re-encodes to
/// itself.
///
/// The budget is `RAPPORT_FUZZ_ITERATIONS` inputs per target (default 3,000, a few seconds);
/// `RAPPORT_FUZZ_SEED` picks the seed (default fixed, so CI runs repeat). A long run:
/// `RAPPORT_FUZZ_ITERATIONS=1000000 RAPPORT_FUZZ_SEED=$RANDOM swift test --filter WireFuzzTests`.
/// A failure prints the seed, the iteration and the input in base64, and replays with the same seed.
@Suite("Fuzz: push, pull and cursor decoders")
struct WireFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let iterations = environment["RAPPORT_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 3_000
    static let seed = environment["RAPPORT_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED_F022
    static let limits = SyncLimits(maxBatchSize: 50, maxPageSize: 100, defaultPageSize: 50, maxBodyBytes: 256 * 1024)

    static func pushSeeds() throws -> [[UInt8]] {
        let hlc = try HLCTimestamp(physicalMillis: 1_765_000_000_000, counter: 3, node: "device-a")
        let mutations = [
            Mutation(
                clientMutationId: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!, entity: .customer, recordId: UUID(uuidString: "00000000-0000-4000-8000-000000000002")!, op: .create, baseVersion: 0,
                fields: ["name": .string("Ana Lima"), "tags": .array([.string("vip"), .string("north")]),
                         "creditLimit": .int(5_000), "individual.phones": .array([.object(["number": .string("+55 11 5555")])])],
                hlc: hlc),
            Mutation(
                clientMutationId: UUID(uuidString: "00000000-0000-4000-8000-000000000003")!, entity: .interaction, recordId: UUID(uuidString: "00000000-0000-4000-8000-000000000004")!, op: .update, baseVersion: 7,
                fields: ["notes": .string("called, \u{00e9}t\u{00e9} \u{1F600}"), "loyaltyPoints": .double(1.5), "x": .null],
                base: ["notes": .string("old")], hlc: hlc, fieldHlc: ["notes": hlc]),
            Mutation(
                clientMutationId: UUID(uuidString: "00000000-0000-4000-8000-000000000005")!, entity: .customer, recordId: UUID(uuidString: "00000000-0000-4000-8000-000000000006")!, op: .delete, baseVersion: 9, fields: [:],
                hlc: hlc),
        ]
        return [
            Array(try SyncWire.encode(PushRequest(mutations: mutations))),
            Array(try SyncWire.encode(PushRequest(mutations: [mutations[0]]))),
            Array(#"{"protocolVersion":1,"mutations":[]}"#.utf8),
        ]
    }

    static func cursorSeeds() -> [String] {
        [
            SyncCursor(generation: 1, sequence: 0, scopeEpoch: 0).encoded,
            SyncCursor(generation: 7, sequence: 123_456_789, scopeEpoch: 42).encoded,
            SyncCursor(generation: .max, sequence: .max, scopeEpoch: .max).encoded,
        ]
    }

    static func pullSeeds() -> [[UInt8]] {
        cursorSeeds().map { Array(#"{"protocolVersion":1,"cursor":"\#($0)","limit":50}"#.utf8) } + [
            Array(#"{"protocolVersion":1,"limit":200}"#.utf8), Array(#"{"protocolVersion":1}"#.utf8),
        ]
    }

    /// Runs `target` on `iterations` mutated seeds; returns the number of inputs it accepted.
    static func fuzz(
        _ name: String, seeds: [[UInt8]], target: ([UInt8]) throws -> Void
    ) -> (executions: Int, accepted: Int) {
        var generator = SplitMix64(seed: seed ^ UInt64(truncatingIfNeeded: name.hashValueStable))
        var accepted = 0
        for iteration in 0..<iterations {
            let input = Mutator.mutate(seeds.randomElement(using: &generator)!, seeds: seeds, using: &generator)
            do {
                try target(input)
                accepted += 1
            } catch is SyncError {
                continue
            } catch {
                Issue.record(
                    "\(name): input \(iteration) (seed \(seed)) threw \(type(of: error)), not SyncError: \(error); input base64 \(Data(input).base64EncodedString())"
                )
            }
        }
        print("fuzz \(name): \(iterations) executions, \(accepted) accepted, \(iterations - accepted) refused with SyncError (seed \(seed))")
        return (iterations, accepted)
    }

    @Test func pushDecoderRefusesEveryBadInputWithASyncError() throws {
        let result = Self.fuzz("push", seeds: try Self.pushSeeds()) { input in
            _ = try SyncWire.decodePush(Data(input), limits: Self.limits)
        }
        #expect(result.accepted > 0 && result.accepted < result.executions, "the mutator must reach both outcomes")
    }

    @Test func pullDecoderRefusesEveryBadInputWithASyncError() throws {
        let result = Self.fuzz("pull", seeds: Self.pullSeeds()) { input in
            let pull = try SyncWire.decodePull(Data(input), limits: Self.limits)
            if let cursor = pull.cursor { _ = try SyncCursor(encoded: cursor) }
        }
        #expect(result.accepted > 0 && result.accepted < result.executions)
    }

    @Test func cursorParserRefusesEveryBadInputWithASyncError() throws {
        let result = Self.fuzz("cursor", seeds: Self.cursorSeeds().map { Array($0.utf8) }) { input in
            let text = String(decoding: input, as: UTF8.self)
            let cursor = try SyncCursor(encoded: text)
            #expect(try SyncCursor(encoded: cursor.encoded) == cursor, "a parsed cursor re-encodes to itself")
        }
        #expect(result.accepted > 0 && result.accepted < result.executions)
    }
}

/// Byte-level mutations in the style of libFuzzer's: flips, inserts, deletes, interesting
/// tokens, splices of two seeds, repeats of a region, and stacks of several.
enum Mutator {
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1", "0", "1e308", "-9223372036854775809",
        "18446744073709551616", "\\u0000", "\\ud800", "\"\"", "[[[[[[[[[[", "{\"a\":", "\"protocolVersion\":",
        "\"mutations\":", "\"cursor\":", "\"limit\":", "c1.", "AAAA", "====", "\u{00}", "\u{FEFF}",
    ].map { Array($0.utf8) } + [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]

    static func mutate(
        _ seed: [UInt8], seeds: [[UInt8]], using generator: inout some RandomNumberGenerator
    ) -> [UInt8] {
        var bytes = seed
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<8, using: &generator) {
            case 0 where !bytes.isEmpty:
                bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
            case 1:
                bytes.insert(UInt8.random(in: 0...255, using: &generator), at: position)
            case 2 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...16, using: &generator)))
            case 3:
                bytes.insert(contentsOf: tokens.randomElement(using: &generator)!, at: position)
            case 4:
                let other = seeds.randomElement(using: &generator)!
                let cut = other.isEmpty ? 0 : Int.random(in: 0..<other.count, using: &generator)
                bytes = Array(bytes[..<position]) + other[cut...]
            case 5 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...32, using: &generator))
                let region = bytes[position..<end]
                bytes.insert(contentsOf: Array(repeating: region, count: Int.random(in: 1...64, using: &generator)).joined(), at: end)
            case 6 where !bytes.isEmpty:
                bytes = Array(bytes[..<position])
            default:
                if let digit = bytes.indices.filter({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }).randomElement(using: &generator) {
                    bytes[digit] = UInt8(ascii: "9")
                    bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "9"), count: Int.random(in: 1...25, using: &generator)), at: digit)
                }
            }
        }
        return bytes
    }
}

extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is seeded per run).
    fileprivate var hashValueStable: UInt64 {
        utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0100_0000_01B3 }
    }
}
