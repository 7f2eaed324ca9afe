/// The one-time administrator credential created on first start.
public struct BootstrapCredential: Sendable, Hashable {
    /// The administrator's login name (`admin`).
    public var loginName: String
    /// A random password, shown once.
    public var password: String
}
