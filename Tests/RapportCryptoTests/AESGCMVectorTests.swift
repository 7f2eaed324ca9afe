import RapportCrypto
import Testing

/// AES-256 test cases 13–18 of McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)"
/// (the vectors NIST's CAVP gcmEncryptExtIV256 set was built from; 17 and 18 use 8- and
/// 60-byte IVs).
@Suite("AES-256-GCM known answers")
struct AESGCMVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var key: String
        var plaintext: String
        var aad: String
        var iv: String
        var ciphertext: String
        var tag: String
        var testDescription: String { name }
    }

    static let key15 = "feffe9928665731c6d6a8f9467308308 feffe9928665731c6d6a8f9467308308"
    static let plaintext15 = """
        d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72
        1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b391aafd255
        """
    static let plaintext16 = """
        d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72
        1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b39
        """
    static let aad16 = "feedfacedeadbeeffeedfacedeadbeef abaddad2"

    static let vectors: [Vector] = [
        Vector(
            name: "test case 13 (empty)", key: String(repeating: "00", count: 32), plaintext: "", aad: "",
            iv: "000000000000000000000000", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        Vector(
            name: "test case 14 (one zero block)", key: String(repeating: "00", count: 32),
            plaintext: "00000000000000000000000000000000", aad: "", iv: "000000000000000000000000",
            ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        Vector(
            name: "test case 15 (4 blocks)", key: key15, plaintext: plaintext15, aad: "",
            iv: "cafebabefacedbaddecaf888",
            ciphertext: """
                522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
                8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662898015ad
                """,
            tag: "b094dac5d93471bdec1a502270e3cc6c"),
        Vector(
            name: "test case 16 (AAD, partial block)", key: key15, plaintext: plaintext16, aad: aad16,
            iv: "cafebabefacedbaddecaf888",
            ciphertext: """
                522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
                8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662
                """,
            tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
        Vector(
            name: "test case 17 (64-bit IV)", key: key15, plaintext: plaintext16, aad: aad16, iv: "cafebabefacedbad",
            ciphertext: """
                c3762df1ca787d32ae47c13bf19844cb af1ae14d0b976afac52ff7d79bba9de0
                feb582d33934a4f0954cc2363bc73f78 62ac430e64abe499f47c9b1f
                """,
            tag: "3a337dbf46a792c45e454913fe2ea8f2"),
        Vector(
            name: "test case 18 (60-byte IV)", key: key15, plaintext: plaintext16, aad: aad16,
            iv: """
                9313225df88406e555909c5aff5269aa 6a7a9538534f7da1e4c303d2a318a728
                c3c0c95156809539fcf0e2429a6b5254 16aedbf5a0de6a57a637b39b
                """,
            ciphertext: """
                5a8def2f0c9e53f1f75d7853659e2a20 eeb2b22aafde6419a058ab4f6f746bf4
                0fc0c3b780f244452da3ebf1c5d82cde a2418997200ef82e44ae7e3f
                """,
            tag: "a44a8266ee1c8eb0c8b5d4cf5ae9f19a"),
    ]

    @Test("sealRaw produces the published ciphertext and tag", arguments: vectors)
    func seal(_ vector: Vector) throws {
        let key = try SymmetricKey(bytes: hex(vector.key))
        let sealed = try AESGCM.sealRaw(
            plaintext: hex(vector.plaintext), key: key, nonce: hex(vector.iv), associatedData: hex(vector.aad))
        #expect(sealed.ciphertext == hex(vector.ciphertext))
        #expect(sealed.tag == hex(vector.tag))
    }

    @Test("openRaw recovers the plaintext and rejects a wrong tag", arguments: vectors)
    func open(_ vector: Vector) throws {
        let key = try SymmetricKey(bytes: hex(vector.key))
        let opened = try AESGCM.openRaw(
            ciphertext: hex(vector.ciphertext), tag: hex(vector.tag), key: key, nonce: hex(vector.iv),
            associatedData: hex(vector.aad))
        #expect(opened == hex(vector.plaintext))
        let error = #expect(throws: CryptoError.self) {
            try AESGCM.openRaw(
                ciphertext: hex(vector.ciphertext), tag: flipping(hex(vector.tag), at: 15, bit: 7), key: key,
                nonce: hex(vector.iv), associatedData: hex(vector.aad))
        }
        #expect(error?.code == .authenticationFailed)
    }

    @Test(
        "the reusable context matches the vectors with 96-bit IVs", arguments: vectors.filter { hex($0.iv).count == 12 }
    )
    func context(_ vector: Vector) throws {
        let context = try AESGCMContext(key: SymmetricKey(bytes: hex(vector.key)))
        let plaintext = hex(vector.plaintext)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        try hex(vector.iv).withUnsafeBytes { nonce in
            try hex(vector.aad).withUnsafeBytes { aad in
                try plaintext.withUnsafeBytes { input in
                    try ciphertext.withUnsafeMutableBytes { output in
                        try tag.withUnsafeMutableBytes { tagBytes in
                            try context.seal(
                                nonce: nonce, associatedData: aad, plaintext: input, ciphertext: output, tag: tagBytes)
                        }
                    }
                }
            }
        }
        #expect(ciphertext == hex(vector.ciphertext))
        #expect(tag == hex(vector.tag))
    }

    @Test("nonces outside 1...128 bytes and short tags are rejected")
    func rawParameterChecks() throws {
        let key = SymmetricKey.generate()
        for nonce in [[UInt8](), [UInt8](repeating: 1, count: 129)] {
            let error = #expect(throws: CryptoError.self) {
                try AESGCM.sealRaw(plaintext: [1, 2, 3], key: key, nonce: nonce)
            }
            #expect(error?.code == .invalidParameter)
        }
        let sealed = try AESGCM.sealRaw(plaintext: [1, 2, 3], key: key, nonce: [UInt8](repeating: 7, count: 12))
        let error = #expect(throws: CryptoError.self) {
            try AESGCM.openRaw(
                ciphertext: sealed.ciphertext, tag: Array(sealed.tag.prefix(12)), key: key,
                nonce: [UInt8](repeating: 7, count: 12))
        }
        #expect(error?.code == .invalidParameter)
    }
}
