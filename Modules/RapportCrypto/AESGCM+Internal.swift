extension AESGCM {
    /// The plaintext length of a sealed box of `count` bytes, after checking version and size.
    static func plaintextCount(ofBox count: Int, firstByte: UInt8?) throws -> Int {
        guard let firstByte else {
            throw CryptoError(
                code: .malformedInput, message: "the sealed box is empty; pass the bytes AESGCM.seal returned")
        }
        guard firstByte == boxVersion else {
            throw CryptoError(
                code: .unsupportedVersion,
                message:
                    "sealed box version \(firstByte) is not supported (expected \(boxVersion)); it was made by a newer build or is corrupt"
            )
        }
        guard count >= boxOverhead else {
            throw CryptoError(
                code: .malformedInput,
                message:
                    "the sealed box is \(count) bytes, shorter than the \(boxOverhead)-byte minimum; it was truncated"
            )
        }
        return count - boxOverhead
    }

    /// Opens a sealed box into `output`, which must be exactly the plaintext length.
    static func open(
        box: UnsafeRawBufferPointer,
        using key: SymmetricKey,
        associatedData: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws {
        let count = try plaintextCount(ofBox: box.count, firstByte: box.first)
        let context = try AESGCMContext(key: key)
        let nonceEnd = 1 + AESGCMContext.nonceByteCount
        let nonce = UnsafeRawBufferPointer(rebasing: box[1..<nonceEnd])
        let body = UnsafeRawBufferPointer(rebasing: box[nonceEnd..<(nonceEnd + count)])
        let tag = UnsafeMutableRawBufferPointer(mutating: UnsafeRawBufferPointer(rebasing: box[(nonceEnd + count)...]))
        try withUnsafeBytes(of: boxVersion) { version in
            try context.run(
                encrypt: false, nonce: nonce, associatedPrefix: version, associatedData: associatedData,
                input: body, output: output, tag: tag)
        }
    }
}
