import Foundation
import PropertyBased
import RapportProtocol
import Testing

@Suite("Hybrid logical clock")
struct HLCTests {
    @Test("the wire form round-trips and sorts like the timestamps")
    func wireForm() throws {
        let stamp = try HLCTimestamp(physicalMillis: 1_772_358_600_250, counter: 3, node: "device-a")
        #expect(stamp.description == "1772358600250-00003-device-a")
        #expect(try HLCTimestamp(parsing: stamp.description) == stamp)
        for bad in ["", "1772358600250-3-a", "177235860025x-00003-a", "1772358600250-00003-", "1772358600250-00003-a b"] {
            #expect(throws: SyncError.self, "\(bad)") { try HLCTimestamp(parsing: bad) }
        }
    }

    @Test("order is physical time, then counter, then node; string order agrees", arguments: [0, 1, 2, 3])
    func totalOrder(_ salt: Int) async {
        let stamps = Gen.int(in: 0...5).map { Int64($0) }
        await propertyCheck(count: 200, input: stamps, Gen.int(in: 0...3), Gen.int(in: 0...2), stamps, Gen.int(in: 0...3), Gen.int(in: 0...2)) {
            m1, c1, n1, m2, c2, n2 in
            let a = try! HLCTimestamp(physicalMillis: 1_772_000_000_000 + m1, counter: c1, node: "node-\(n1 + salt)")
            let b = try! HLCTimestamp(physicalMillis: 1_772_000_000_000 + m2, counter: c2, node: "node-\(n2 + salt)")
            #expect((a < b) == (a.description < b.description))
            #expect((a == b) == (a.description == b.description))
            #expect(a < b || b < a || a == b)
        }
    }

    @Test("ticks are strictly increasing even when the wall clock goes back or stands still")
    func monotonic() async {
        await propertyCheck(count: 100, input: Gen.int(in: -5_000...5_000).array(of: 1...40)) { jumps in
            var clock = HybridLogicalClock(node: "device")
            var wall: Int64 = 1_772_358_600_000
            var last = clock.tick(wallMillis: wall)
            for jump in jumps {
                wall += Int64(jump)
                let next = jump % 3 == 0
                    ? clock.observe(try! HLCTimestamp(physicalMillis: wall + 100, counter: 7, node: "server"), wallMillis: wall)
                    : clock.tick(wallMillis: wall)
                #expect(next > last)
                last = next
            }
        }
    }

    @Test("an observed timestamp orders every later local event after it")
    func causality() throws {
        var device = HybridLogicalClock(node: "device")
        let serverStamp = try HLCTimestamp(physicalMillis: 1_772_358_900_000, counter: 4, node: "server")
        device.observe(serverStamp, wallMillis: 1_772_358_600_000)   // device clock 5 minutes behind
        #expect(device.tick(wallMillis: 1_772_358_600_001) > serverStamp)
    }

    @Test("the counter overflows into the next millisecond")
    func counterOverflow() throws {
        var clock = HybridLogicalClock(node: "n", resumingAfter: try HLCTimestamp(physicalMillis: 10, counter: HLCTimestamp.maxCounter, node: "n"))
        let next = clock.tick(wallMillis: 5)
        #expect(next.physicalMillis == 11 && next.counter == 0)
    }

    @Test("client stamps beyond the skew bound are clamped to the server's clock; others are kept")
    func skewBound() throws {
        var server = HybridLogicalClock(node: "server")
        let wall: Int64 = 1_772_358_600_000
        let near = try HLCTimestamp(physicalMillis: wall + HybridLogicalClock.defaultMaxAheadMillis, counter: 0, node: "d")
        #expect(server.admit(near, wallMillis: wall) == .accepted(near))
        let far = try HLCTimestamp(physicalMillis: wall + HybridLogicalClock.defaultMaxAheadMillis + 1, counter: 0, node: "d")
        let admission = server.admit(far, wallMillis: wall)
        guard case .clamped(let sent, let used) = admission else {
            Issue.record("a stamp beyond the bound was accepted")
            return
        }
        #expect(sent == far && used.node == "server" && used < far)
        let old = try HLCTimestamp(physicalMillis: wall - 86_400_000, counter: 0, node: "d")
        #expect(server.admit(old, wallMillis: wall) == .accepted(old))
    }
}
