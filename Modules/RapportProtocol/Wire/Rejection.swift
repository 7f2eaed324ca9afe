/// The reason a mutation was refused, with a message for the user.
public struct Rejection: Codable, Sendable, Hashable {
    /// A stable code to switch on.
    public var code: RejectionCode
    /// What is wrong and what to do, for people.
    public var message: String
    /// The registry path of the field at fault, if one is.
    public var field: String?
    /// For ``RejectionCode/validation``: the `ValidationError` rule code (`emailFormat`, ...).
    public var rule: String?

    /// Creates a rejection.
    public init(code: RejectionCode, message: String, field: String? = nil, rule: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.rule = rule
    }
}
