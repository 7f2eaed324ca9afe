/// Decodes hexadecimal test vectors; spaces and newlines are ignored.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.unicodeScalars.filter { !$0.properties.isWhitespace })
    precondition(digits.count % 2 == 0, "odd number of hex digits in test vector")
    return stride(from: 0, to: digits.count, by: 2).map { index in
        UInt8(String(String.UnicodeScalarView(digits[index...(index + 1)])), radix: 16)!
    }
}

/// Returns `bytes` with bit `bit` of byte `index` flipped.
func flipping(_ bytes: [UInt8], at index: Int, bit: Int = 0) -> [UInt8] {
    var copy = bytes
    copy[index] ^= UInt8(1) << UInt8(bit % 8)
    return copy
}
