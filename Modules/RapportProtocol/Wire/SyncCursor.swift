import Foundation

/// The position a device has reached in the server's change log and scope history.
///
/// Opaque to clients: on the wire it is `c1.` followed by unpadded base64url of 21 bytes —
/// format 1, the change log's ``generation`` (4 bytes), ``sequence`` (8) and ``scopeEpoch``
/// (8), big-endian. Not a secret and not a capability: scope is enforced on every pull
/// whatever the cursor says, and a cursor only ever refers to the calling device's own scope
/// snapshots (`Docs/Protocol.md`, "Cursors").
public struct SyncCursor: Sendable, Hashable, CustomStringConvertible {
    /// The lineage of the server's change log; a restore from backup starts a new one, and
    /// cursors of another generation get ``SyncError/Code/resetRequired``.
    public var generation: UInt32
    /// Every change with a server sequence at or below this has been delivered.
    public var sequence: Int64
    /// The device's scope snapshot this cursor acknowledges (what the device holds).
    public var scopeEpoch: Int64

    /// Creates a cursor.
    public init(generation: UInt32, sequence: Int64, scopeEpoch: Int64) {
        self.generation = generation
        self.sequence = sequence
        self.scopeEpoch = scopeEpoch
    }

    /// The wire form.
    public var encoded: String {
        var bytes: [UInt8] = [1]
        withUnsafeBytes(of: generation.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: sequence.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: scopeEpoch.bigEndian) { bytes.append(contentsOf: $0) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "c1." + base64
    }

    /// Same as ``encoded``.
    public var description: String { encoded }

    /// Decodes the wire form.
    ///
    /// - Throws: ``SyncError/Code/invalidCursor`` if the text is not a cursor of this format.
    public init(encoded text: String) throws {
        let invalid = SyncError(
            .invalidCursor, "the cursor '\(text.prefix(40))' was not issued by this server; discard it and pull from scratch")
        guard text.hasPrefix("c1.") else { throw invalid }
        var base64 = String(text.dropFirst(3)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), data.count == 21, data.first == 1 else { throw invalid }
        let bytes = [UInt8](data)
        func integer(_ range: Range<Int>) -> UInt64 { bytes[range].reduce(0) { $0 << 8 | UInt64($1) } }
        generation = UInt32(integer(1..<5))
        let sequence = Int64(bitPattern: integer(5..<13))
        let epoch = Int64(bitPattern: integer(13..<21))
        guard sequence >= 0, epoch >= 0 else { throw invalid }
        self.sequence = sequence
        scopeEpoch = epoch
    }
}
