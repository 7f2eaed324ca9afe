import RapportCrypto
import Testing

@Suite("AES-GCM sealed boxes")
struct AESGCMSealedBoxTests {
    let key = SymmetricKey.generate()
    let plaintext = Array("Mrs Li prefers calls after 6 pm; credit limit 50k".utf8)
    let associatedData = Array("customer/7f3c".utf8)

    @Test("round trip for empty, short and multi-block plaintexts")
    func roundTrip() throws {
        for count in [0, 1, 15, 16, 17, 4096] {
            let message = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let box = try AESGCM.seal(message, using: key, associatedData: associatedData)
            #expect(box.count == count + AESGCM.boxOverhead)
            #expect(box[0] == 0x01)
            #expect(try AESGCM.open(box, using: key, associatedData: associatedData) == message)
        }
    }

    @Test("accepts any byte collection and hides the plaintext")
    func genericCollection() throws {
        let slice = plaintext[4...]
        let box = try AESGCM.seal(slice, using: key)
        #expect(try AESGCM.open(box, using: key) == Array(slice))
        #expect(!box.indices.dropLast(slice.count - 1).contains { Array(box[$0..<($0 + slice.count)]) == Array(slice) })
    }

    @Test("every seal uses a fresh nonce")
    func freshNonces() throws {
        let boxes = try (0..<64).map { _ in try AESGCM.seal(plaintext, using: key) }
        #expect(Set(boxes.map { Array($0[1..<13]) }).count == boxes.count)
    }

    @Test("a flipped bit anywhere in the box fails with a typed error")
    func everyBitPosition() throws {
        let box = try AESGCM.seal(plaintext, using: key, associatedData: associatedData)
        for index in box.indices {
            for bit in 0..<8 {
                let error = #expect(throws: CryptoError.self) {
                    try AESGCM.open(flipping(box, at: index, bit: bit), using: key, associatedData: associatedData)
                }
                #expect(
                    error?.code == (index == 0 ? .unsupportedVersion : .authenticationFailed),
                    "byte \(index) bit \(bit)")
            }
        }
    }

    @Test("every truncation fails with a typed error")
    func everyTruncation() throws {
        let box = try AESGCM.seal(plaintext, using: key, associatedData: associatedData)
        for length in 0..<box.count {
            let error = #expect(throws: CryptoError.self) {
                try AESGCM.open(Array(box.prefix(length)), using: key, associatedData: associatedData)
            }
            let expected: CryptoError.Code = length < AESGCM.boxOverhead ? .malformedInput : .authenticationFailed
            #expect(error?.code == expected, "length \(length)")
        }
        let extended = box + [0]
        #expect(throws: CryptoError.self) { try AESGCM.open(extended, using: key, associatedData: associatedData) }
    }

    @Test("a wrong key fails")
    func wrongKey() throws {
        let box = try AESGCM.seal(plaintext, using: key)
        let error = #expect(throws: CryptoError.self) { try AESGCM.open(box, using: SymmetricKey.generate()) }
        #expect(error?.code == .authenticationFailed)
    }

    @Test("altered, missing or extra associated data fails")
    func associatedDataBinding() throws {
        let box = try AESGCM.seal(plaintext, using: key, associatedData: associatedData)
        var variants: [[UInt8]] = associatedData.indices.map { flipping(associatedData, at: $0, bit: $0) }
        variants += [[], Array(associatedData.dropLast()), associatedData + [0], [0x01] + associatedData]
        for variant in variants {
            let error = #expect(throws: CryptoError.self) { try AESGCM.open(box, using: key, associatedData: variant) }
            #expect(error?.code == .authenticationFailed)
        }
    }

    @Test("the version byte is authenticated, not just checked")
    func versionBoundIntoTag() throws {
        // The same nonce, ciphertext and tag verify under AD = version || user AD and under
        // nothing else: opening them with the raw API and the user AD alone must fail.
        let box = try AESGCM.seal(plaintext, using: key, associatedData: associatedData)
        let nonce = Array(box[1..<13])
        let ciphertext = Array(box[13..<(box.count - 16)])
        let tag = Array(box.suffix(16))
        #expect(
            try AESGCM.openRaw(
                ciphertext: ciphertext, tag: tag, key: key, nonce: nonce, associatedData: [0x01] + associatedData)
                == plaintext)
        #expect(throws: CryptoError.self) {
            try AESGCM.openRaw(ciphertext: ciphertext, tag: tag, key: key, nonce: nonce, associatedData: associatedData)
        }
    }

    @Test("keys that are not 256 bits are refused")
    func keySize() throws {
        for count in [16, 24] {
            let short = SymmetricKey.generate(byteCount: count)
            let sealError = #expect(throws: CryptoError.self) { try AESGCM.seal(plaintext, using: short) }
            #expect(sealError?.code == .invalidKeySize)
            let box = try AESGCM.seal(plaintext, using: key)
            let openError = #expect(throws: CryptoError.self) { try AESGCM.open(box, using: short) }
            #expect(openError?.code == .invalidKeySize)
        }
    }
}
