import Foundation

/// SplitMix64: a small, fast generator whose whole sequence follows from one seed, so a run
/// printed with its seed replays exactly.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed from the environment variable `name`, or a fresh random one.
    static func seed(from name: String) -> UInt64 {
        if let text = ProcessInfo.processInfo.environment[name], let value = UInt64(text) { return value }
        return UInt64.random(in: 1...UInt64(Int64.max))
    }
}

/// An integer setting from the environment, or `defaultValue`.
func environmentInt(_ name: String, default defaultValue: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? defaultValue
}
