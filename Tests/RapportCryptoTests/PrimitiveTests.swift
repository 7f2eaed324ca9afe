import RapportCrypto
import Testing

@Suite("Keys, randomness, hashing, comparison")
struct PrimitiveTests {
    @Test("SHA-256 FIPS 180-2 examples")
    func sha256() {
        #expect(SHA256.hash([UInt8]()) == hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        #expect(
            SHA256.hash(Array("abc".utf8)) == hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(
            SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"))
        // Non-contiguous collections hash the same bytes.
        #expect(SHA256.hash("abc".utf8) == SHA256.hash(Array("abc".utf8)))
    }

    @Test("SymmetricKey accepts 16, 24 and 32 bytes only", arguments: [0, 1, 15, 16, 17, 23, 24, 31, 32, 33, 64])
    func keySizes(count: Int) throws {
        let bytes = (0..<count).map { UInt8($0) }
        if [16, 24, 32].contains(count) {
            let key = try SymmetricKey(bytes: bytes)
            #expect(key.byteCount == count)
            #expect(key.withUnsafeBytes { Array($0) } == bytes)
        } else {
            let error = #expect(throws: CryptoError.self) { try SymmetricKey(bytes: bytes) }
            #expect(error?.code == .invalidKeySize)
        }
    }

    @Test("SymmetricKey from a lazy sequence; equality; description hides the bytes")
    func keyBehaviour() throws {
        let key = try SymmetricKey(bytes: (0..<32).lazy.map { UInt8($0 * 3) })
        #expect(key == (try SymmetricKey(bytes: (0..<32).map { UInt8($0 * 3) })))
        #expect(key != SymmetricKey.generate())
        #expect(String(describing: key) == "SymmetricKey(256 bits)")
    }

    @Test("generated keys and random bytes differ")
    func randomness() {
        #expect(SymmetricKey.generate() != SymmetricKey.generate())
        #expect(SymmetricKey.generate(byteCount: 16).byteCount == 16)
        #expect(SecureRandom.bytes(count: 0).isEmpty)
        let samples = (0..<32).map { _ in SecureRandom.bytes(count: 16) }
        #expect(Set(samples).count == samples.count)
        var buffer = [UInt8](repeating: 0, count: 4096)
        buffer.withUnsafeMutableBytes { SecureRandom.fill($0) }
        // 4096 zero bytes from a working RNG has probability 2^-32768.
        #expect(buffer.contains { $0 != 0 })
        #expect(Set(buffer).count > 200)
    }

    @Test("SecureBytes holds what it was given")
    func secureBytes() {
        let secret = SecureBytes(bytes: [1, 2, 3, 4])
        #expect(secret.count == 4)
        #expect(secret.withUnsafeBytes { Array($0) } == [1, 2, 3, 4])
        #expect(SecureBytes(bytes: [UInt8]()).count == 0)
        #expect(SecureBytes(randomCount: 32).withUnsafeBytes { Array($0) } != [UInt8](repeating: 0, count: 32))
    }

    @Test("ConstantTime.equals")
    func constantTime() {
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([0x80, 2, 3], [0, 2, 3]))
        #expect(ConstantTime.equals("abc".utf8, [0x61, 0x62, 0x63]))
    }

    @Test("error codes and descriptions")
    func errors() {
        let error = CryptoError(code: .authenticationFailed, message: "do not use this data")
        #expect(error.description == "CryptoError(authenticationFailed): do not use this data")
        let codes: [CryptoError.Code] = [
            .authenticationFailed, .malformedInput, .unsupportedVersion, .invalidKeySize, .invalidParameter, .libcrypto,
        ]
        #expect(Set(codes).count == 6)
        #expect(Set(codes.map(\.description)).count == 6)
    }
}
