/// The on-disk layout of an encrypted page (see `Docs/Store.md`).
///
/// ```
/// page 1:  [ file id (16, clear) | ciphertext ........ | page no (4) | nonce (12) | tag (16) ]
/// page n:  [ ciphertext ................................ | page no (4) | nonce (12) | tag (16) ]
/// ```
/// The last 32 bytes are SQLite's "reserved bytes per page" (header byte 20), so SQLite never
/// puts data there. The page number copy is not secret; it only lets a failure say whether a
/// page was moved or altered. The associated data is
/// `"RPS1" | file id | role | page number [| offset in the WAL]`.
enum PageLayout {
    /// The page size of every store (bytes).
    static let pageSize = 4096
    /// Reserved bytes at the end of each page: page number, nonce, tag.
    static let reservedByteCount = 32
    /// Bytes at the start of page 1 kept in the clear (the file id in place of SQLite's magic).
    static let clearPrefixByteCount = 16
    /// The bytes that end each page's usable area.
    static let usableByteCount = pageSize - reservedByteCount
    /// Offset of the stored page number.
    static let pageNumberOffset = usableByteCount
    /// Offset of the nonce.
    static let nonceOffset = usableByteCount + 4
    /// Offset of the tag.
    static let tagOffset = usableByteCount + 16
    /// SQLite's plaintext file magic, which page 1 shows to SQLite after decryption.
    static let sqliteMagic: [UInt8] = Array("SQLite format 3".utf8) + [0]
    /// The WAL file header size.
    static let walHeaderByteCount = 32
    /// The WAL frame header size.
    static let walFrameHeaderByteCount = 24
    /// The domain-separation prefix of the associated data.
    static let associatedDataPrefix: [UInt8] = Array("RPS1".utf8)
}
