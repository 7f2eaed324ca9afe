extension PointsTransaction {
    /// Why loyalty points changed; decides the sign of the change.
    public enum Reason: String, WireEnum {
        /// Earned by a purchase (positive).
        case purchase
        /// A bonus (positive).
        case bonus
        /// Spent on a reward (negative).
        case redemption
        /// Expired (negative).
        case expiry
        /// A correction (either sign).
        case adjustment
    }
}
