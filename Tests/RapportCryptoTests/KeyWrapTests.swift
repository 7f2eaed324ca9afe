import RapportCrypto
import Testing

@Suite("Key wrapping")
struct KeyWrapTests {
    let kek = SymmetricKey.generate()
    let context = Array("device/9c1e".utf8)

    @Test("round trip for 128-, 192- and 256-bit data keys", arguments: [16, 24, 32])
    func roundTrip(byteCount: Int) throws {
        let dataKey = SymmetricKey.generate(byteCount: byteCount)
        let wrapped = try KeyWrap.wrap(dataKey, under: kek, context: context)
        #expect(wrapped.count == 1 + AESGCM.boxOverhead + byteCount)
        let unwrapped = try KeyWrap.unwrap(wrapped, under: kek, context: context)
        #expect(unwrapped == dataKey)
        #expect(unwrapped.byteCount == byteCount)
    }

    @Test("a flipped bit anywhere fails with a typed error")
    func everyBit() throws {
        let wrapped = try KeyWrap.wrap(SymmetricKey.generate(), under: kek, context: context)
        for index in wrapped.indices {
            for bit in 0..<8 {
                let error = #expect(throws: CryptoError.self) {
                    try KeyWrap.unwrap(flipping(wrapped, at: index, bit: bit), under: kek, context: context)
                }
                #expect(
                    error?.code == (index <= 1 ? .unsupportedVersion : .authenticationFailed),
                    "byte \(index) bit \(bit)")
            }
        }
    }

    @Test("every truncation fails with a typed error")
    func everyTruncation() throws {
        let wrapped = try KeyWrap.wrap(SymmetricKey.generate(), under: kek, context: context)
        for length in 0..<wrapped.count {
            let error = #expect(throws: CryptoError.self) {
                try KeyWrap.unwrap(Array(wrapped.prefix(length)), under: kek, context: context)
            }
            let expected: CryptoError.Code = length < 1 + AESGCM.boxOverhead ? .malformedInput : .authenticationFailed
            #expect(error?.code == expected, "length \(length)")
        }
    }

    @Test("a wrong KEK or context fails")
    func wrongKeyOrContext() throws {
        let wrapped = try KeyWrap.wrap(SymmetricKey.generate(), under: kek, context: context)
        for (key, ctx) in [
            (SymmetricKey.generate(), context), (kek, []), (kek, context + [0]), (kek, Array("device/9c1f".utf8)),
        ] {
            let error = #expect(throws: CryptoError.self) { try KeyWrap.unwrap(wrapped, under: key, context: ctx) }
            #expect(error?.code == .authenticationFailed)
        }
    }

    @Test("a wrapped key is not an ordinary sealed box, and vice versa")
    func domainSeparation() throws {
        let dataKey = SymmetricKey.generate()
        let wrapped = try KeyWrap.wrap(dataKey, under: kek)
        let openError = #expect(throws: CryptoError.self) { try AESGCM.open(Array(wrapped.dropFirst()), using: kek) }
        #expect(openError?.code == .authenticationFailed)
        let box = try dataKey.withUnsafeBytes { try AESGCM.seal($0, using: kek) }
        let unwrapError = #expect(throws: CryptoError.self) { try KeyWrap.unwrap([KeyWrap.version] + box, under: kek) }
        #expect(unwrapError?.code == .authenticationFailed)
    }

    @Test("a KEK that is not 256 bits is refused")
    func kekSize() {
        let error = #expect(throws: CryptoError.self) {
            try KeyWrap.wrap(SymmetricKey.generate(), under: SymmetricKey.generate(byteCount: 16))
        }
        #expect(error?.code == .invalidKeySize)
    }
}
