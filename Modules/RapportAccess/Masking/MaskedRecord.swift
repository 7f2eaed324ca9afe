import RapportModels

/// A record's fields as one principal may receive them.
///
/// Ordinary fields pass through; sensitive fields the principal may not see in clear are
/// partially masked (phones, e-mails) or replaced by ``ValueMasker/marker(_:)``; fields of a
/// class the principal may not read at all (usually secret) are absent and not listed.
public struct MaskedRecord: Hashable, Sendable, Codable {
    /// The kind of record.
    public var kind: EntityKind
    /// The fields to send, by dotted registry path.
    public var fields: [String: JSONValue]
    /// Paths whose values were masked or replaced by a marker, sorted.
    public var maskedPaths: [String]
    /// Paths revealed on request, sorted: each must be audited and counted as a sensitive reveal.
    public var revealedPaths: [String]

    /// Creates a masked record.
    public init(kind: EntityKind, fields: [String: JSONValue], maskedPaths: [String] = [], revealedPaths: [String] = [])
    {
        self.kind = kind
        self.fields = fields
        self.maskedPaths = maskedPaths
        self.revealedPaths = revealedPaths
    }
}
