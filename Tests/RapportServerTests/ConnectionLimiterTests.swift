import RapportServer
import Testing

@Suite("Connection limiter: caps, fairness, probe slots")
struct ConnectionLimiterTests {
    @Test func capsInAllAndPerAddressThenProbeSlotsThenRefusal() {
        let limiter = ConnectionLimiter(maxConnections: 3, maxPerAddress: 2, probeConnections: 1)
        #expect(limiter.admit(address: "10.0.0.1") == .serve)
        #expect(limiter.admit(address: "10.0.0.1") == .serve)
        #expect(limiter.admit(address: "10.0.0.1") == .probeOnly(.address))
        #expect(limiter.admit(address: "10.0.0.1") == .refuse(.address))
        #expect(limiter.admit(address: "10.0.0.2") == .serve)
        #expect(limiter.admit(address: "10.0.0.3") == .refuse(.total))
        limiter.release(.probeOnly(.address), address: "10.0.0.1")
        #expect(limiter.admit(address: "10.0.0.3") == .probeOnly(.total))
        limiter.release(.serve, address: "10.0.0.1")
        #expect(limiter.admit(address: "10.0.0.3") == .serve)
        #expect(limiter.current.open == 3)
        #expect(limiter.current.perAddress == ["10.0.0.1": 1, "10.0.0.2": 1, "10.0.0.3": 1])
    }

    @Test func anIPv6NetworkCountsAsOneAddressAndTrustedProxiesAreNotLimited() {
        let limiter = ConnectionLimiter(
            maxConnections: 100, maxPerAddress: 1, probeConnections: 0, unlimitedAddresses: ["10.0.0.5"])
        #expect(limiter.admit(address: "2001:db8:1:2::1") == .serve)
        #expect(limiter.admit(address: "2001:db8:1:2::99") == .refuse(.address))
        #expect(limiter.admit(address: "10.0.0.5") == .serve)
        #expect(limiter.admit(address: "10.0.0.5") == .serve)
    }

    @Test func aBurstThatFallsToAQuarterOfItsPeakAsksForOneMemoryTrim() {
        let limiter = ConnectionLimiter(maxConnections: 1_000, maxPerAddress: 1_000, probeConnections: 0)
        for _ in 0..<400 { _ = limiter.admit(address: "10.0.0.1") }
        let trims = (0..<400).filter { _ in limiter.release(.serve, address: "10.0.0.1") }
        #expect(trims.count == 1)  // at 100 left; the next peak (100) is below the burst size
    }

    @Test func maxConnectionsIsFittedUnderTheDescriptorLimit() {
        let limits = ConnectionLimits(maxConnections: 4_096, probeConnections: 16)
        #expect(limits.effectiveMaxConnections(descriptorLimit: 1_024) == 1_024 - 128 - 16)
        #expect(limits.effectiveMaxConnections(descriptorLimit: 1_048_576) == 4_096)
    }
}
