/// Internal helpers that hand contiguous bytes to C with a pointer that is never null.
enum Bytes {
    /// Calls `body` with a non-null pointer to the collection's bytes and their count.
    ///
    /// libcrypto treats a null pointer with length zero inconsistently across functions, so
    /// empty inputs get a pointer to a dummy byte instead.
    static func withPointer<C: Collection<UInt8>, R>(
        _ bytes: C,
        _ body: (UnsafePointer<UInt8>, Int) throws -> R
    ) rethrows -> R {
        if let result = try bytes.withContiguousStorageIfAvailable({ buffer in
            try withPointer(UnsafeRawBufferPointer(buffer), body)
        }) {
            return result
        }
        return try Array(bytes).withUnsafeBytes { try withPointer($0, body) }
    }

    /// Calls `body` with a non-null pointer to the buffer's bytes and their count.
    static func withPointer<R>(
        _ buffer: UnsafeRawBufferPointer,
        _ body: (UnsafePointer<UInt8>, Int) throws -> R
    ) rethrows -> R {
        if let base = buffer.baseAddress, buffer.count > 0 {
            return try body(base.assumingMemoryBound(to: UInt8.self), buffer.count)
        }
        var dummy: UInt8 = 0
        return try withUnsafePointer(to: &dummy) { try body($0, 0) }
    }

    /// A non-null C string pointer to a static string (for OSSL_PARAM keys and values, which
    /// must outlive the call; a Swift `String` bridged to C would be freed too early).
    static func cString(_ string: StaticString) -> UnsafeMutablePointer<CChar> {
        UnsafeMutableRawPointer(mutating: string.utf8Start).assumingMemoryBound(to: CChar.self)
    }
}
