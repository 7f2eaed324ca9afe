import RapportStore
import Testing

/// The contract of `ClientCryptoSuite` — everything the client-side modules ask of a crypto
/// implementation — tested once, generically, and run against the implementation the client
/// modules are bound to (`ClientCrypto`, `Modules/RapportStore/ClientCryptoBackend.swift`).
///
/// The file names no concrete type and imports only `RapportStore`, so after a swap it tests
/// the new implementation unchanged. Known answers come from outside our code: the GCM paper's
/// AES-256 vectors, RFC 7914's scrypt vectors, and HKDF-SHA-256 outputs computed with Python's
/// `hmac` module. Box and wrapped-key layouts are checked against `Docs/Crypto.md`, "Formats",
/// by building them by hand from the page cipher, so files written by one implementation open
/// with the other.
@Suite("Client crypto contract (ClientCrypto)")
struct ClientCryptoContractTests {
    // MARK: - Page cipher

    struct GCMVector: Sendable, CustomTestStringConvertible {
        var name: String
        var key: String
        var iv: String
        var aad: String
        var plaintext: String
        var ciphertext: String
        var tag: String
        var testDescription: String { name }
    }

    /// McGrew & Viega, "The Galois/Counter Mode of Operation", AES-256 test cases 13–16
    /// (12-byte IVs, the only nonce length the page cipher takes).
    static let gcmVectors: [GCMVector] = {
        let key15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
        let plaintext15 =
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
        let ciphertext15 =
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
        return [
            GCMVector(
                name: "test case 13 (empty)", key: String(repeating: "00", count: 32),
                iv: String(repeating: "00", count: 12),
                aad: "", plaintext: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
            GCMVector(
                name: "test case 14 (one zero block)", key: String(repeating: "00", count: 32),
                iv: String(repeating: "00", count: 12), aad: "", plaintext: String(repeating: "00", count: 16),
                ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
            GCMVector(
                name: "test case 15 (4 blocks)", key: key15, iv: "cafebabefacedbaddecaf888", aad: "",
                plaintext: plaintext15,
                ciphertext: ciphertext15, tag: "b094dac5d93471bdec1a502270e3cc6c"),
            GCMVector(
                name: "test case 16 (AAD, partial block)", key: key15, iv: "cafebabefacedbaddecaf888",
                aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2", plaintext: String(plaintext15.dropLast(8)),
                ciphertext: String(ciphertext15.dropLast(8)), tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
        ]
    }()

    @Test("page cipher: known answers, sealing into and opening from caller buffers", arguments: gcmVectors)
    func pageCipherKnownAnswers(vector: GCMVector) throws {
        try Self.pageCipherKnownAnswer(ClientCrypto.self, vector)
    }

    static func pageCipherKnownAnswer<S: ClientCryptoSuite>(_: S.Type, _ vector: GCMVector) throws {
        let cipher = try S.PageCipher(key: try S.Key(bytes: hex(vector.key)))
        let plaintext = hex(vector.plaintext)
        var ciphertext = [UInt8](repeating: 0xee, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        try seal(cipher, nonce: hex(vector.iv), aad: hex(vector.aad), plaintext, into: &ciphertext, tag: &tag)
        #expect(ciphertext == hex(vector.ciphertext))
        #expect(tag == hex(vector.tag))

        var opened = [UInt8](repeating: 0xee, count: plaintext.count)
        try open(cipher, nonce: hex(vector.iv), aad: hex(vector.aad), ciphertext, tag: tag, into: &opened)
        #expect(opened == plaintext)

        // In place, as the VFS does with SQLite's page buffer: the same context, reused.
        var page = plaintext
        try page.withUnsafeMutableBytes { buffer in
            try hex(vector.iv).withUnsafeBytes { nonce in
                try hex(vector.aad).withUnsafeBytes { aad in
                    try tag.withUnsafeMutableBytes { tagBuffer in
                        try cipher.seal(
                            nonce: nonce, associatedData: aad, plaintext: UnsafeRawBufferPointer(buffer),
                            ciphertext: buffer,
                            tag: tagBuffer)
                    }
                    #expect(Array(buffer) == hex(vector.ciphertext))
                    try tag.withUnsafeBytes { tagBuffer in
                        try cipher.open(
                            nonce: nonce, associatedData: aad, ciphertext: UnsafeRawBufferPointer(buffer),
                            tag: tagBuffer,
                            plaintext: buffer)
                    }
                }
            }
        }
        #expect(page == plaintext)
    }

    @Test("page cipher: any change to nonce, associated data, ciphertext or tag fails and leaves zeros")
    func pageCipherTamper() throws {
        try Self.pageCipherTamper(ClientCrypto.self)
    }

    static func pageCipherTamper<S: ClientCryptoSuite>(_: S.Type) throws {
        let cipher = try S.PageCipher(key: S.Key.generate(byteCount: 32))
        let nonce = S.randomBytes(count: 12)
        let aad = Array("page 7".utf8)
        let plaintext = S.randomBytes(count: 4064)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        try seal(cipher, nonce: nonce, aad: aad, plaintext, into: &ciphertext, tag: &tag)

        func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
            var copy = bytes
            copy[index] ^= 0x01
            return copy
        }
        let cases: [(String, [UInt8], [UInt8], [UInt8], [UInt8])] = [
            ("nonce", flipped(nonce, at: 11), aad, ciphertext, tag),
            ("associated data", nonce, flipped(aad, at: 5), ciphertext, tag),
            ("ciphertext", nonce, aad, flipped(ciphertext, at: 2000), tag),
            ("tag", nonce, aad, ciphertext, flipped(tag, at: 0)),
        ]
        for (what, n, a, c, t) in cases {
            var output = [UInt8](repeating: 0xaa, count: c.count)
            let error = #expect(throws: CryptoError.self, "changed \(what)") {
                try open(cipher, nonce: n, aad: a, c, tag: t, into: &output)
            }
            #expect(error?.code == .authenticationFailed, "changed \(what)")
            #expect(output.allSatisfy { $0 == 0 }, "changed \(what): the output buffer must be zeroed")
        }
        // Another key.
        let other = try S.PageCipher(key: S.Key.generate(byteCount: 32))
        var output = [UInt8](repeating: 0, count: ciphertext.count)
        #expect(throws: CryptoError.self) {
            try open(other, nonce: nonce, aad: aad, ciphertext, tag: tag, into: &output)
        }
    }

    @Test("page cipher: wrong key, nonce, tag or output sizes are refused")
    func pageCipherSizes() throws {
        try Self.pageCipherSizes(ClientCrypto.self)
    }

    static func pageCipherSizes<S: ClientCryptoSuite>(_: S.Type) throws {
        let short = #expect(throws: CryptoError.self) {
            try S.PageCipher(key: try S.Key(bytes: [UInt8](repeating: 1, count: 16)))
        }
        #expect(short?.code == .invalidKeySize)
        let cipher = try S.PageCipher(key: S.Key.generate(byteCount: 32))
        var output = [UInt8](repeating: 0, count: 32)
        var tag = [UInt8](repeating: 0, count: 16)
        var shortTag = [UInt8](repeating: 0, count: 8)
        let input = [UInt8](repeating: 7, count: 32)
        for (nonce, what) in [
            ([UInt8](repeating: 0, count: 8), "8-byte nonce"), ([UInt8](repeating: 0, count: 16), "16-byte nonce"),
        ] {
            let error = #expect(throws: CryptoError.self, "\(what)") {
                try seal(cipher, nonce: nonce, aad: [], input, into: &output, tag: &tag)
            }
            #expect(error?.code == .invalidParameter, "\(what)")
        }
        let tagError = #expect(throws: CryptoError.self) {
            try seal(cipher, nonce: [UInt8](repeating: 0, count: 12), aad: [], input, into: &output, tag: &shortTag)
        }
        #expect(tagError?.code == .invalidParameter)
        var shortOutput = [UInt8](repeating: 0, count: 31)
        let lengthError = #expect(throws: CryptoError.self) {
            try seal(cipher, nonce: [UInt8](repeating: 0, count: 12), aad: [], input, into: &shortOutput, tag: &tag)
        }
        #expect(lengthError?.code == .invalidParameter)
    }

    // MARK: - Sealed boxes and wrapped keys

    @Test("sealed box: the documented layout, in both directions; changes and truncation fail")
    func sealedBox() throws {
        try Self.sealedBox(ClientCrypto.self)
    }

    static func sealedBox<S: ClientCryptoSuite>(_: S.Type) throws {
        let key = S.Key.generate(byteCount: 32)
        let cipher = try S.PageCipher(key: key)
        let plaintext = Array("tokens and the cached lease key".utf8)
        let aad = Array("rapport.client.session.v1/device".utf8)

        // By hand: 0x01 | nonce | ciphertext | tag, the version byte authenticated before the AAD.
        let nonce = S.randomBytes(count: 12)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        try seal(cipher, nonce: nonce, aad: [0x01] + aad, plaintext, into: &ciphertext, tag: &tag)
        #expect(try S.open([0x01] + nonce + ciphertext + tag, using: key, associatedData: aad) == plaintext)

        // And the other way: what `seal` makes parses by hand.
        let box = try S.seal(plaintext, using: key, associatedData: aad)
        #expect(box.count == plaintext.count + 29)
        #expect(box[0] == 0x01)
        var opened = [UInt8](repeating: 0, count: plaintext.count)
        try open(
            cipher, nonce: Array(box[1..<13]), aad: [0x01] + aad, Array(box[13..<(13 + plaintext.count)]),
            tag: Array(box[(13 + plaintext.count)...]), into: &opened)
        #expect(opened == plaintext)
        #expect(try S.seal(plaintext, using: key, associatedData: aad) != box, "every box has a fresh nonce")

        for index in box.indices {
            var changed = box
            changed[index] ^= 0x80
            let error = #expect(throws: CryptoError.self, "byte \(index) changed") {
                try S.open(changed, using: key, associatedData: aad)
            }
            let expected: CryptoError.Code = index == 0 ? .unsupportedVersion : .authenticationFailed
            #expect(error?.code == expected, "byte \(index) changed")
        }
        let wrongAAD = #expect(throws: CryptoError.self) { try S.open(box, using: key, associatedData: []) }
        #expect(wrongAAD?.code == .authenticationFailed)
        let wrongKey = #expect(throws: CryptoError.self) {
            try S.open(box, using: S.Key.generate(byteCount: 32), associatedData: aad)
        }
        #expect(wrongKey?.code == .authenticationFailed)
        let truncated = #expect(throws: CryptoError.self) {
            try S.open(Array(box.prefix(28)), using: key, associatedData: aad)
        }
        #expect(truncated?.code == .malformedInput)
    }

    @Test("key wrap: the documented layout; bound to its context and key-encryption key")
    func keyWrap() throws {
        try Self.keyWrap(ClientCrypto.self)
    }

    static func keyWrap<S: ClientCryptoSuite>(_: S.Type) throws {
        let kek = S.Key.generate(byteCount: 32)
        let dataKey = S.Key.generate(byteCount: 32)
        let context = Array("rapport.store.v1/passcode/".utf8) + S.randomBytes(count: 16)
        let wrapped = try S.wrap(dataKey, under: kek, context: context)
        #expect(wrapped.count == 62)
        #expect(wrapped[0] == 0x01)
        #expect(bytes(of: try S.unwrap(wrapped, under: kek, context: context)) == bytes(of: dataKey))

        // By hand: 0x01 | sealed box of the key bytes, AAD "rapport.keywrap" 0x00 0x01 || context.
        let keyBytes = S.randomBytes(count: 32)
        let cipher = try S.PageCipher(key: kek)
        let nonce = S.randomBytes(count: 12)
        var ciphertext = [UInt8](repeating: 0, count: 32)
        var tag = [UInt8](repeating: 0, count: 16)
        let aad = Array("rapport.keywrap".utf8) + [0x00, 0x01] + context
        try seal(cipher, nonce: nonce, aad: [0x01] + aad, keyBytes, into: &ciphertext, tag: &tag)
        let byHand = [0x01, 0x01] + nonce + ciphertext + tag
        #expect(bytes(of: try S.unwrap(byHand, under: kek, context: context)) == keyBytes)

        let otherContext = #expect(throws: CryptoError.self) {
            try S.unwrap(wrapped, under: kek, context: Array(context.dropLast()))
        }
        #expect(otherContext?.code == .authenticationFailed)
        let otherKEK = #expect(throws: CryptoError.self) {
            try S.unwrap(wrapped, under: S.Key.generate(byteCount: 32), context: context)
        }
        #expect(otherKEK?.code == .authenticationFailed)
        // A wrapped key is not an ordinary box and the reverse.
        #expect(throws: CryptoError.self) {
            try S.open(Array(wrapped.dropFirst()), using: kek, associatedData: context)
        }
        let box = try S.seal(keyBytes, using: kek, associatedData: context)
        #expect(throws: CryptoError.self) { try S.unwrap([0x01] + box, under: kek, context: context) }
    }

    // MARK: - Key derivation

    @Test("HKDF-SHA-256 key derivation: known answers")
    func hkdf() throws {
        try Self.hkdf(ClientCrypto.self)
    }

    static func hkdf<S: ClientCryptoSuite>(_: S.Type) throws {
        // IKM 00…1f, salt 00…0c, info f0…f9 (RFC 5869 test case 1's salt and info with a
        // 32-byte key), L = 32; computed with Python's hmac module.
        let input = try S.Key(bytes: Array(0...31))
        let derived = try S.deriveKey(from: input, salt: Array(0...12), info: Array(0xf0...0xf9))
        #expect(bytes(of: derived) == hex("194109eabd17e0cb6c156d2bcbb8e54f9aa71ab5cdcf4a730b827c03ee4090f4"))
        // An empty salt is the RFC's default of 32 zero bytes.
        let unsalted = try S.deriveKey(from: input, salt: [], info: Array("rapport".utf8))
        #expect(bytes(of: unsalted) == hex("655dfa81112423ca2b6aff32bdecd8ccf6e8e8de0b828bbdd22b79ab6a7dffac"))
    }

    @Test("scrypt key derivation: RFC 7914 known answers; bad parameters refused")
    func scrypt() throws {
        try Self.scrypt(ClientCrypto.self)
    }

    static func scrypt<S: ClientCryptoSuite>(_: S.Type) throws {
        // RFC 7914 §12, vectors 2 and 3: the first 32 of their 64 bytes (scrypt's last step is
        // PBKDF2, whose first block does not depend on the length asked for).
        let nacl = try S.deriveKey(
            fromPassword: Array("password".utf8), salt: Array("NaCl".utf8),
            parameters: ScryptParameters(n: 1024, r: 8, p: 16))
        #expect(bytes(of: nacl) == hex("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"))
        let sodium = try S.deriveKey(
            fromPassword: Array("pleaseletmein".utf8), salt: Array("SodiumChloride".utf8),
            parameters: ScryptParameters(n: 16384, r: 8, p: 1))
        #expect(bytes(of: sodium) == hex("7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"))
        for parameters in [
            ScryptParameters(n: 1000, r: 8, p: 1), ScryptParameters(n: 1024, r: 0, p: 1),
            ScryptParameters(n: 1 << 24, r: 64, p: 1),
        ] {
            let error = #expect(throws: CryptoError.self, "\(parameters)") {
                try S.deriveKey(fromPassword: [1], salt: [2], parameters: parameters)
            }
            #expect(error?.code == .invalidParameter, "\(parameters)")
        }
    }

    // MARK: - Keys and randomness

    @Test("keys: 16, 24 or 32 bytes, kept as given; generated keys differ")
    func keys() throws {
        try Self.keys(ClientCrypto.self)
    }

    static func keys<S: ClientCryptoSuite>(_: S.Type) throws {
        for count in [16, 24, 32] {
            let material = S.randomBytes(count: count)
            let key = try S.Key(bytes: material)
            #expect(key.byteCount == count)
            #expect(bytes(of: key) == material)
            #expect(S.Key.generate(byteCount: count).byteCount == count)
        }
        for count in [0, 15, 31, 33, 64] {
            let error = #expect(throws: CryptoError.self, "\(count) bytes") {
                try S.Key(bytes: [UInt8](repeating: 1, count: count))
            }
            #expect(error?.code == .invalidKeySize, "\(count) bytes")
        }
        #expect(bytes(of: S.Key.generate(byteCount: 32)) != bytes(of: S.Key.generate(byteCount: 32)))
        #expect(S.randomBytes(count: 0).isEmpty)
        let a = S.randomBytes(count: 4096)
        #expect(a != S.randomBytes(count: 4096))
        #expect(!a.allSatisfy { $0 == 0 })
    }

    /// White-box on glibc: `free` of a 32-byte chunk writes its free-list links into the first
    /// 16 bytes and leaves the rest, so bytes 16..<32 of a released key's storage still hold the
    /// key unless the key wiped them. The control (the same allocation released without
    /// wiping) shows the probe sees what is left behind.
    @Test("keys are wiped when the last copy is released")
    func keyWiping() throws {
        let pattern = [UInt8](repeating: 0xa5, count: 32)
        let control: (UInt64, UInt64) = {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 16)
            buffer.copyBytes(from: pattern)
            let address = UnsafeRawPointer(buffer.baseAddress!)
            buffer.deallocate()
            return ((address + 16).loadUnaligned(as: UInt64.self), (address + 24).loadUnaligned(as: UInt64.self))
        }()
        #expect(
            control == (0xa5a5_a5a5_a5a5_a5a5, 0xa5a5_a5a5_a5a5_a5a5),
            "the allocator overwrote a freed chunk; this probe cannot see wiping here")
        let left = try Self.leftBehind(ClientCrypto.self, pattern)
        #expect(left == (0, 0), "key bytes survived the key's release")
    }

    static func leftBehind<S: ClientCryptoSuite>(_: S.Type, _ pattern: [UInt8]) throws -> (UInt64, UInt64) {
        var address: UnsafeRawPointer?
        do {
            let key = try S.Key(bytes: pattern)
            address = key.withUnsafeBytes { $0.baseAddress }
            #expect(key.byteCount == 32)
        }
        let base = try #require(address)
        return ((base + 16).loadUnaligned(as: UInt64.self), (base + 24).loadUnaligned(as: UInt64.self))
    }

    // MARK: - Helpers

    static func seal(
        _ cipher: some PageCipherContext, nonce: [UInt8], aad: [UInt8], _ plaintext: [UInt8],
        into ciphertext: inout [UInt8],
        tag: inout [UInt8]
    ) throws {
        try nonce.withUnsafeBytes { n in
            try aad.withUnsafeBytes { a in
                try plaintext.withUnsafeBytes { p in
                    try ciphertext.withUnsafeMutableBytes { c in
                        try tag.withUnsafeMutableBytes { t in
                            try cipher.seal(nonce: n, associatedData: a, plaintext: p, ciphertext: c, tag: t)
                        }
                    }
                }
            }
        }
    }

    static func open(
        _ cipher: some PageCipherContext, nonce: [UInt8], aad: [UInt8], _ ciphertext: [UInt8], tag: [UInt8],
        into plaintext: inout [UInt8]
    ) throws {
        try nonce.withUnsafeBytes { n in
            try aad.withUnsafeBytes { a in
                try ciphertext.withUnsafeBytes { c in
                    try tag.withUnsafeBytes { t in
                        try plaintext.withUnsafeMutableBytes { p in
                            try cipher.open(nonce: n, associatedData: a, ciphertext: c, tag: t, plaintext: p)
                        }
                    }
                }
            }
        }
    }

    static func bytes(of key: some ClientCryptoKey) -> [UInt8] {
        key.withUnsafeBytes { Array($0) }
    }

    static func hex(_ string: String) -> [UInt8] {
        let digits = Array(string.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") })
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)!
        }
    }
}
