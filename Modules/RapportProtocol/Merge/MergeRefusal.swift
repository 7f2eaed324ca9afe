/// Why a mutation cannot be merged at all; the server rejects it with ``rejection``.
public struct MergeRefusal: Error, Sendable, Hashable {
    /// The rejection to send back.
    public var rejection: Rejection

    /// Creates a refusal.
    public init(_ code: RejectionCode, field: String?, _ message: String) {
        rejection = Rejection(code: code, message: message, field: field)
    }
}
