/// A secret key of 128, 192 or 256 bits whose bytes are wiped when the last copy is released.
///
/// Copies of a `SymmetricKey` share one ``SecureBytes`` buffer; it is cleansed with
/// `OPENSSL_cleanse` in `deinit`. AES-GCM and key wrapping need 256-bit keys; HMAC accepts any.
///
/// ```swift
/// let key = SymmetricKey.generate()
/// let box = try AESGCM.seal(Array("hello".utf8), using: key)
/// ```
public struct SymmetricKey: Sendable {
    /// Key lengths in bytes that a `SymmetricKey` may have.
    public static let allowedByteCounts: Set<Int> = [16, 24, 32]

    let storage: SecureBytes

    /// Creates a key from existing key material of 16, 24 or 32 bytes.
    ///
    /// - Throws: ``CryptoError/Code/invalidKeySize`` for any other length.
    public init(bytes: some Sequence<UInt8>) throws {
        // Copy into a wiped buffer directly, never into an ordinary array.
        let limit = 33
        var taken = 0
        let scratch = SecureBytes(count: limit) { buffer in
            var iterator = bytes.makeIterator()
            while taken < limit, let byte = iterator.next() {
                buffer[taken] = byte
                taken += 1
            }
        }
        guard Self.allowedByteCounts.contains(taken) else {
            throw CryptoError(
                code: .invalidKeySize,
                message:
                    "a symmetric key must be 16, 24 or 32 bytes, got \(taken == limit ? "more than 32" : String(taken)); pass the full key material"
            )
        }
        let count = taken
        self.storage = scratch.withUnsafeBytes { source in
            SecureBytes(count: count) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<count])) }
        }
    }

    init(storage: SecureBytes) {
        self.storage = storage
    }

    /// Returns a new random key of `byteCount` bytes (16, 24 or 32; the default is 32).
    ///
    /// Passing another length is a programming error and stops the process.
    public static func generate(byteCount: Int = 32) -> SymmetricKey {
        precondition(allowedByteCounts.contains(byteCount), "SymmetricKey.generate: byteCount must be 16, 24 or 32")
        return SymmetricKey(storage: SecureBytes(randomCount: byteCount))
    }

    /// The key length in bytes.
    public var byteCount: Int { storage.count }

    /// The key length in bits.
    public var bitCount: Int { storage.count * 8 }

    /// Calls `body` with read-only access to the key bytes. Do not let the pointer escape, and
    /// wipe any copy you make.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }
}
