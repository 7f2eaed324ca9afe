import RapportModels

/// One field where two edits met and one was lost (`Docs/Protocol.md`, "Conflicts").
///
/// The client shows it to the user: what the field was (`base`), what they wrote (`yours`),
/// what someone else wrote (`theirs`) and what the record holds now (`result`).
public struct FieldConflict: Codable, Sendable, Hashable {
    /// Which edit's value the field now holds.
    public enum Winner: String, Codable, Sendable, Hashable, CaseIterable {
        /// This mutation's value won; the other edit (`theirs`) was lost.
        case yours
        /// The concurrent edit won; this mutation's value (`yours`) was lost.
        case theirs
    }

    /// The field's registry path.
    public var field: String
    /// The value both edits started from, when the client sent it.
    public var base: JSONValue?
    /// This mutation's value.
    public var yours: JSONValue
    /// The concurrent value on the server.
    public var theirs: JSONValue
    /// The value the field holds after the merge.
    public var result: JSONValue
    /// Whose edit won.
    public var winner: Winner

    /// Creates a conflict report.
    public init(field: String, base: JSONValue?, yours: JSONValue, theirs: JSONValue, result: JSONValue, winner: Winner) {
        self.field = field
        self.base = base
        self.yours = yours
        self.theirs = theirs
        self.result = result
        self.winner = winner
    }
}
