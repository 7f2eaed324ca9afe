import RapportAccess

extension AuditAction {
    /// A client address was blocked after repeated failed sign-ins (the reason names the
    /// address, how long and after how many failures; there is no actor).
    public static let loginAddressBlocked: AuditAction = "loginAddressBlocked"

    /// An administrator lifted the sign-in lockout of a member of staff.
    public static let accountUnlocked: AuditAction = "accountUnlocked"
}
