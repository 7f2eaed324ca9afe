extension LoyaltyAccount {
    /// The loyalty programme level.
    public enum MembershipLevel: String, WireEnum {
        /// Entry level.
        case basic
        /// Silver.
        case silver
        /// Gold.
        case gold
        /// Platinum.
        case platinum
    }
}
