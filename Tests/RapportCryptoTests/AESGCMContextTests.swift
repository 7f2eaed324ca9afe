import RapportCrypto
import Testing

@Suite("AESGCMContext (page encryption hot path)")
struct AESGCMContextTests {
    let key = SymmetricKey.generate()
    let page: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    let pageNumber: [UInt8] = [0, 0, 0, 42]

    /// Seals `plaintext` with `context`; returns ciphertext and tag.
    func seal(_ context: AESGCMContext, _ plaintext: [UInt8], nonce: [UInt8], ad: [UInt8]) throws -> ([UInt8], [UInt8])
    {
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        try nonce.withUnsafeBytes { n in
            try ad.withUnsafeBytes { a in
                try plaintext.withUnsafeBytes { p in
                    try ciphertext.withUnsafeMutableBytes { c in
                        try tag.withUnsafeMutableBytes { t in
                            try context.seal(nonce: n, associatedData: a, plaintext: p, ciphertext: c, tag: t)
                        }
                    }
                }
            }
        }
        return (ciphertext, tag)
    }

    /// Opens with `context` into a separate buffer.
    func open(_ context: AESGCMContext, _ ciphertext: [UInt8], tag: [UInt8], nonce: [UInt8], ad: [UInt8]) throws
        -> [UInt8]
    {
        var plaintext = [UInt8](repeating: 0xEE, count: ciphertext.count)
        do {
            try nonce.withUnsafeBytes { n in
                try ad.withUnsafeBytes { a in
                    try ciphertext.withUnsafeBytes { c in
                        try tag.withUnsafeBytes { t in
                            try plaintext.withUnsafeMutableBytes { p in
                                try context.open(nonce: n, associatedData: a, ciphertext: c, tag: t, plaintext: p)
                            }
                        }
                    }
                }
            }
        } catch {
            #expect(plaintext.allSatisfy { $0 == 0 }, "a failed open must leave no unauthenticated plaintext")
            throw error
        }
        return plaintext
    }

    @Test("seal then open, many times on one context, alternating directions")
    func reuse() throws {
        let context = try AESGCMContext(key: key)
        for round in 0..<20 {
            let nonce = SecureRandom.bytes(count: 12)
            let message = Array(page.prefix(round * 200))
            let (ciphertext, tag) = try seal(context, message, nonce: nonce, ad: pageNumber)
            #expect(try open(context, ciphertext, tag: tag, nonce: nonce, ad: pageNumber) == message)
            // The one-shot raw API agrees, so the context does not leak state between calls.
            let raw = try AESGCM.sealRaw(plaintext: message, key: key, nonce: nonce, associatedData: pageNumber)
            #expect(raw.ciphertext == ciphertext)
            #expect(raw.tag == tag)
        }
    }

    @Test("in-place seal and open on one buffer")
    func inPlace() throws {
        let context = try AESGCMContext(key: key)
        let nonce = SecureRandom.bytes(count: 12)
        var buffer = page
        var tag = [UInt8](repeating: 0, count: 16)
        try nonce.withUnsafeBytes { n in
            try pageNumber.withUnsafeBytes { a in
                try buffer.withUnsafeMutableBytes { b in
                    try tag.withUnsafeMutableBytes { t in
                        try context.seal(
                            nonce: n, associatedData: a, plaintext: UnsafeRawBufferPointer(b), ciphertext: b, tag: t)
                    }
                }
            }
        }
        let expected = try seal(context, page, nonce: nonce, ad: pageNumber)
        #expect(buffer == expected.0)
        #expect(tag == expected.1)
        try nonce.withUnsafeBytes { n in
            try pageNumber.withUnsafeBytes { a in
                try tag.withUnsafeBytes { t in
                    try buffer.withUnsafeMutableBytes { b in
                        try context.open(
                            nonce: n, associatedData: a, ciphertext: UnsafeRawBufferPointer(b), tag: t, plaintext: b)
                    }
                }
            }
        }
        #expect(buffer == page)
    }

    @Test("in-place open of a tampered page fails and wipes the buffer")
    func inPlaceTamper() throws {
        let context = try AESGCMContext(key: key)
        let nonce = SecureRandom.bytes(count: 12)
        let (ciphertext, tag) = try seal(context, page, nonce: nonce, ad: pageNumber)
        var buffer = flipping(ciphertext, at: 1000, bit: 3)
        let error = #expect(throws: CryptoError.self) {
            try nonce.withUnsafeBytes { n in
                try pageNumber.withUnsafeBytes { a in
                    try tag.withUnsafeBytes { t in
                        try buffer.withUnsafeMutableBytes { b in
                            try context.open(
                                nonce: n, associatedData: a, ciphertext: UnsafeRawBufferPointer(b), tag: t, plaintext: b
                            )
                        }
                    }
                }
            }
        }
        #expect(error?.code == .authenticationFailed)
        #expect(buffer.allSatisfy { $0 == 0 })
    }

    @Test("a flipped bit in nonce, associated data, ciphertext or tag fails")
    func tamper() throws {
        let context = try AESGCMContext(key: key)
        let nonce = SecureRandom.bytes(count: 12)
        let message = Array(page.prefix(48))
        let (ciphertext, tag) = try seal(context, message, nonce: nonce, ad: pageNumber)
        var attempts: [() throws -> [UInt8]] = []
        for i in nonce.indices {
            attempts.append {
                try open(context, ciphertext, tag: tag, nonce: flipping(nonce, at: i, bit: i), ad: pageNumber)
            }
        }
        for i in pageNumber.indices {
            attempts.append {
                try open(context, ciphertext, tag: tag, nonce: nonce, ad: flipping(pageNumber, at: i, bit: i))
            }
        }
        for i in ciphertext.indices {
            attempts.append {
                try open(context, flipping(ciphertext, at: i, bit: i), tag: tag, nonce: nonce, ad: pageNumber)
            }
        }
        for i in tag.indices {
            attempts.append {
                try open(context, ciphertext, tag: flipping(tag, at: i, bit: i), nonce: nonce, ad: pageNumber)
            }
        }
        attempts.append { try open(context, Array(ciphertext.dropLast()), tag: tag, nonce: nonce, ad: pageNumber) }
        attempts.append {
            try open(AESGCMContext(key: SymmetricKey.generate()), ciphertext, tag: tag, nonce: nonce, ad: pageNumber)
        }
        #expect(attempts.count == 12 + 4 + 48 + 16 + 2)
        for attempt in attempts {
            let error = #expect(throws: CryptoError.self) { try attempt() }
            #expect(error?.code == .authenticationFailed)
        }
        // The context still works after all those failures.
        #expect(try open(context, ciphertext, tag: tag, nonce: nonce, ad: pageNumber) == message)
    }

    @Test("wrong buffer sizes and overlapping buffers are rejected")
    func parameterChecks() throws {
        let context = try AESGCMContext(key: key)
        let cases: [(nonce: Int, input: Int, output: Int, tag: Int)] = [
            (8, 32, 32, 16), (16, 32, 32, 16), (12, 32, 31, 16), (12, 32, 33, 16), (12, 32, 32, 12),
        ]
        for item in cases {
            let nonce = [UInt8](repeating: 1, count: item.nonce)
            let input = [UInt8](repeating: 2, count: item.input)
            var output = [UInt8](repeating: 0, count: item.output)
            var tag = [UInt8](repeating: 0, count: item.tag)
            let error = #expect(throws: CryptoError.self) {
                try nonce.withUnsafeBytes { n in
                    try input.withUnsafeBytes { p in
                        try output.withUnsafeMutableBytes { c in
                            try tag.withUnsafeMutableBytes { t in
                                try context.seal(
                                    nonce: n, associatedData: UnsafeRawBufferPointer(start: nil, count: 0),
                                    plaintext: p, ciphertext: c, tag: t)
                            }
                        }
                    }
                }
            }
            #expect(error?.code == .invalidParameter, "\(item)")
        }
        var buffer = [UInt8](repeating: 0, count: 64)
        var tag = [UInt8](repeating: 0, count: 16)
        let nonce = [UInt8](repeating: 1, count: 12)
        let error = #expect(throws: CryptoError.self) {
            try nonce.withUnsafeBytes { n in
                try tag.withUnsafeMutableBytes { t in
                    try buffer.withUnsafeMutableBytes { b in
                        try context.seal(
                            nonce: n, associatedData: UnsafeRawBufferPointer(start: nil, count: 0),
                            plaintext: UnsafeRawBufferPointer(rebasing: b[0..<32]),
                            ciphertext: UnsafeMutableRawBufferPointer(rebasing: b[8..<40]), tag: t)
                    }
                }
            }
        }
        #expect(error?.code == .invalidParameter)
    }

    @Test("the context needs a 256-bit key")
    func keySize() {
        let error = #expect(throws: CryptoError.self) { try AESGCMContext(key: SymmetricKey.generate(byteCount: 16)) }
        #expect(error?.code == .invalidKeySize)
    }
}
