import COpenSSL

/// An immutable heap buffer for secrets that is wiped with `OPENSSL_cleanse` when released.
///
/// The bytes are written once by the initializer and only read afterwards, which is what makes
/// sharing the buffer between tasks safe. Copies you make with ``withUnsafeBytes(_:)`` are
/// yours to wipe.
public final class SecureBytes: @unchecked Sendable {
    /// The allocation (at least one byte so it is never null); only the first `count` are used.
    private let allocation: UnsafeMutableRawBufferPointer
    /// The number of bytes held.
    public let count: Int

    /// Allocates `count` bytes and lets `initializer` write all of them.
    ///
    /// If the initializer throws, the buffer is wiped and released and the error rethrown.
    public init(count: Int, initializingWith initializer: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        precondition(count >= 0, "SecureBytes: count must not be negative")
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        let visible = UnsafeMutableRawBufferPointer(rebasing: storage[0..<count])
        visible.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try initializer(visible)
        } catch {
            OPENSSL_cleanse(storage.baseAddress, storage.count)
            storage.deallocate()
            throw error
        }
        self.allocation = storage
        self.count = count
    }

    /// Copies `bytes` into a new secure buffer.
    public convenience init(bytes: some Collection<UInt8>) {
        self.init(count: bytes.count) { buffer in
            _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        }
    }

    /// Creates `count` random bytes.
    public convenience init(randomCount count: Int) {
        self.init(count: count) { SecureRandom.fill($0) }
    }

    deinit {
        OPENSSL_cleanse(allocation.baseAddress, allocation.count)
        allocation.deallocate()
    }

    /// Calls `body` with read-only access to the bytes. Do not let the pointer escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: allocation[0..<count]))
    }
}

extension SecureBytes {
    /// Wipes an ordinary byte array that held secret material (`OPENSSL_cleanse`, which the
    /// optimiser cannot remove).
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            OPENSSL_cleanse(base, buffer.count)
        }
    }
}
