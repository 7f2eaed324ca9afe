/// A deterministic stream of numbers for one canary, seeded from the canary secret by
/// ``CanaryGenerator/random(for:label:)``: planting twice draws the same values, and nobody
/// without the secret can predict them. SplitMix64 over the HMAC-derived seed.
public struct CanaryRandom: Sendable {
    private var state: UInt64

    /// Starts a stream at `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (0 when `bound` is not positive).
    public mutating func below(_ bound: Int) -> Int {
        bound > 0 ? Int(next() % UInt64(bound)) : 0
    }

    /// A number in `range`.
    public mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// One of `items` (`nil` when empty).
    public mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[below(items.count)]
    }

    /// `text` with every ASCII digit redrawn (keeps a code's or number's pattern: `KH-240037` →
    /// `KH-248815`); the first digit stays non-zero when it was, and zero when it was (padding).
    public mutating func redrawDigits(_ text: String) -> String {
        var first = true
        return String(
            text.map { character -> Character in
                guard character.isASCII, let digit = character.wholeNumberValue else { return character }
                defer { first = false }
                if first && digit == 0 { return "0" }
                let low = first ? 1 : 0
                return Character(String(within(low...9)))
            })
    }
}
