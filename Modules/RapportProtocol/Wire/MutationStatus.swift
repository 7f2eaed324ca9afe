/// What the server did with one mutation.
public enum MutationStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Applied as sent: no field it changed was changed concurrently.
    case applied
    /// Applied, but some changed fields were also changed concurrently; they were merged by
    /// their policies and every lost edit is listed in `conflicts`.
    case merged
    /// Not applied; `rejection` says why and `record` holds the server's truth to roll back to.
    case rejected
}
