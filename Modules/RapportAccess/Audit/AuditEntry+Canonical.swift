import Foundation
import RapportCrypto

extension AuditEntry {
    /// The exact bytes the hash covers: a versioned, length-prefixed binary encoding of every
    /// property except ``hash`` (documented in `Docs/Security.md`).
    public func canonicalEncoding(sequence overriddenSequence: UInt64? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        Self.append(string: "rapport-audit-entry-v1", to: &out)
        Self.append(integer: overriddenSequence ?? sequence, to: &out)
        Self.append(integer: UInt64(bitPattern: timestampMilliseconds), to: &out)
        Self.append(uuid: event.actorId, to: &out)
        Self.append(uuid: event.deviceId, to: &out)
        Self.append(string: event.action.rawValue, to: &out)
        Self.append(integer: UInt64(event.recordIds.count), to: &out)
        for id in event.recordIds { Self.append(uuid: id, to: &out) }
        Self.append(integer: UInt64(event.fields.count), to: &out)
        for field in event.fields { Self.append(string: field, to: &out) }
        out.append(event.allowed ? 1 : 0)
        Self.append(string: event.reason, to: &out)
        Self.append(integer: UInt64(previousHash.count), to: &out)
        out.append(contentsOf: previousHash)
        return out
    }

    /// The hash this entry should have (what ``hash`` holds when untouched).
    public func computedHash(sequence overriddenSequence: UInt64? = nil) -> [UInt8] {
        SHA256.hash(canonicalEncoding(sequence: overriddenSequence))
    }

    private static func append(integer value: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    private static func append(string: String, to out: inout [UInt8]) {
        let bytes = Array(string.utf8)
        append(integer: UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    private static func append(uuid: UUID?, to out: inout [UInt8]) {
        guard let uuid else {
            out.append(0)
            return
        }
        out.append(1)
        withUnsafeBytes(of: uuid.uuid) { out.append(contentsOf: $0) }
    }
}
