import Foundation
import GRDB
import RapportCrypto
import RapportModels
import RapportTesting
import Testing
@testable import RapportStore

@Suite("Page layer: nonces and WAL checksum masking")
struct PageLayerTests {
    static let frameSize = PageLayout.pageSize + PageLayout.walFrameHeaderByteCount

    static func nonces(of bytes: [UInt8]) -> [[UInt8]] {
        stride(from: 0, to: bytes.count - PageLayout.pageSize + 1, by: PageLayout.pageSize).map {
            Array(bytes[($0 + PageLayout.nonceOffset)..<($0 + PageLayout.nonceOffset + 12)])
        }
    }

    @Test("a nonce never seals two different page images, across rewrites and reopenings")
    func noncesAreUnique() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("nonces.rapportdb")
        let key = SymmetricKey.generate()
        var sealedBy: [[UInt8]: [UInt8]] = [:]
        var checkedPages = 0
        for session in 0..<3 {
            let store =
                session == 0
                ? try await EncryptedStore.create(at: path, credentials: [.platformKey(key)], configuration: Fixture.configuration)
                : try await EncryptedStore.open(at: path, credential: .platformKey(key), configuration: Fixture.configuration)
            for index in 0..<30 {
                try await store.save(Fixture.customer(index, notes: "session \(session)"), clock: "c\(session)")
            }
            try await store.close()
            let bytes = Fixture.bytes(path)
            var prefixes: Set<[UInt8]> = []
            for start in stride(from: 0, to: bytes.count, by: PageLayout.pageSize) {
                let image = Array(bytes[start..<(start + PageLayout.pageSize)])
                let nonce = Array(image[PageLayout.nonceOffset..<(PageLayout.nonceOffset + 12)])
                prefixes.insert(Array(nonce[0..<4]))
                if let earlier = sealedBy[nonce] {
                    #expect(earlier == image, "nonce reused for a different page image")
                } else {
                    sealedBy[nonce] = image
                }
                checkedPages += 1
            }
            // The checkpoint writes the pages through one handle: they share its prefix.
            #expect(prefixes.count < bytes.count / PageLayout.pageSize)
        }
        #expect(checkedPages > 20)
        #expect(sealedBy.count > checkedPages / 3)
    }

    @Test("every nonce a handle issues is distinct; the counter starts at a random value")
    func handleNonceSequence() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("sequence.rapportdb")
        let key = SymmetricKey.generate()
        let store = try await EncryptedStore.create(at: path, credentials: [.platformKey(key)], configuration: Fixture.configuration)
        let entry = try #require(await store.keyEntry)
        try await store.close()
        // Two fresh codecs for the same key: same page, same plaintext, different nonces.
        var sealed: [[UInt8]] = []
        for _ in 0..<2 {
            try EncryptedFile.withDetachedCodec(role: .main, entry: entry) { codec in
            var page = [UInt8](repeating: 7, count: PageLayout.pageSize)
            var out = [UInt8](repeating: 0, count: PageLayout.pageSize)
            for _ in 0..<3 {
                page.withUnsafeBytes { source in
                    out.withUnsafeMutableBytes { destination in
                        _ = codec.seal(source.baseAddress!, into: destination.baseAddress!, page: 2, frameOffset: nil)
                    }
                }
                sealed.append(Array(out[PageLayout.nonceOffset..<(PageLayout.nonceOffset + 12)]))
            }
            }
        }
        #expect(Set(sealed).count == 6)
        // Within a handle: same prefix, counter + 1.
        #expect(sealed[0][0..<4] == sealed[1][0..<4])
        let counter = { (nonce: [UInt8]) in nonce[4..<12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        #expect(counter(sealed[1]) == counter(sealed[0]) &+ 1)
        #expect(counter(sealed[2]) == counter(sealed[1]) &+ 1)
        // Across handles: fresh randomness.
        #expect(sealed[0][0..<4] != sealed[3][0..<4] || counter(sealed[0]) != counter(sealed[3]))
    }

    /// SQLite's WAL checksum over `bytes` (pairs of 32-bit words), continuing from `s`.
    static func walChecksum(_ bytes: ArraySlice<UInt8>, native: Bool, from s: (UInt32, UInt32)) -> (UInt32, UInt32) {
        var (s1, s2) = s
        var index = bytes.startIndex
        func word(_ at: Int) -> UInt32 {
            let b = bytes
            let big = UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
            return native ? big.byteSwapped : big
        }
        while index < bytes.endIndex {
            s1 = s1 &+ word(index) &+ s2
            s2 = s2 &+ word(index + 4) &+ s1
            index += 8
        }
        return (s1, s2)
    }

    static func bigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    @Test("WAL frame checksums are masked on disk; unmasked they are SQLite's checksums of the plaintext")
    func walChecksumsAreMasked() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("wal.rapportdb")
        let key = SymmetricKey.generate()
        let store = try await EncryptedStore.create(at: path, credentials: [.platformKey(key)], configuration: Fixture.configuration)
        for index in 0..<25 {
            try await store.save(Fixture.customer(index), clock: "c")
        }
        let wal = Fixture.bytes(path + "-wal")
        let entry = try #require(await store.keyEntry)
        try EncryptedFile.withDetachedCodec(role: .wal, entry: entry) { codec in
        #expect(wal.count > 32 + 10 * Self.frameSize)
        let magic = Self.bigEndian(wal, 0)
        // Little-endian host: checksums are "native" when the magic's low bit is 0.
        let native = magic & 1 == 0
        var s = (Self.bigEndian(wal, 24), Self.bigEndian(wal, 28))
        #expect(Self.walChecksum(wal[0..<24], native: native, from: (0, 0)) == s)
        let salts = Array(wal[16..<24])
        var checked = 0
        var frameOffset = 32
        while frameOffset + Self.frameSize <= wal.count, Array(wal[(frameOffset + 8)..<(frameOffset + 16)]) == salts {
            var header = Array(wal[frameOffset..<(frameOffset + 24)])
            let page = Self.bigEndian(header, 0)
            var plain = [UInt8](repeating: 0, count: PageLayout.pageSize)
            let failure = wal.withUnsafeBytes { raw in
                plain.withUnsafeMutableBytes { out in
                    codec.open(
                        raw.baseAddress! + frameOffset + 24, into: out.baseAddress!, page: page,
                        frameOffset: Int64(frameOffset + 24))
                }
            }
            #expect(failure == nil)
            s = Self.walChecksum(header[0..<8], native: native, from: s)
            s = Self.walChecksum(plain[...], native: native, from: s)
            let stored = (Self.bigEndian(header, 16), Self.bigEndian(header, 20))
            #expect(stored != s, "frame at \(frameOffset) stores its plaintext checksum in clear")
            header.withUnsafeMutableBytes { codec.toggleChecksumMask($0.baseAddress!, frameHeaderOffset: Int64(frameOffset)) }
            #expect((Self.bigEndian(header, 16), Self.bigEndian(header, 20)) == s, "unmasked checksum of frame at \(frameOffset)")
            checked += 1
            frameOffset += Self.frameSize
        }
        #expect(checked >= 10)
        }
        try await store.close()
        // And SQLite still validates them: the data is all there after reopening.
        let reopened = try await EncryptedStore.open(at: path, credential: .platformKey(key), configuration: Fixture.configuration)
        #expect(try await reopened.count(RecordQuery(kind: .customer)) == 25)
        #expect(try await reopened.checkIntegrity() == ["ok"])
        try await reopened.close()
    }
}
