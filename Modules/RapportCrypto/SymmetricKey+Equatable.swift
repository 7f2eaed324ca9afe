extension SymmetricKey: Equatable {
    /// Compares two keys in constant time (for a given length).
    public static func == (lhs: SymmetricKey, rhs: SymmetricKey) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in ConstantTime.equals(a, b) } }
    }
}

extension SymmetricKey: CustomStringConvertible {
    /// `SymmetricKey(256 bits)` — never the key bytes, so keys are safe to log by accident.
    public var description: String { "SymmetricKey(\(bitCount) bits)" }
}
