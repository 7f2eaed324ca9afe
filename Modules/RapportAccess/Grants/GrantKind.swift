/// Ordinary grant or emergency access.
public enum GrantKind: String, Hashable, Codable, Sendable {
    /// An ordinary grant: days, at most ``AccessSettings/maximumGrantDuration``.
    case standard
    /// Emergency, organisation-wide read with reveal-on-request of sensitive fields: hours, at
    /// most ``AccessSettings/maximumBreakGlassDuration``, reason required, always audited.
    case breakGlass
}
