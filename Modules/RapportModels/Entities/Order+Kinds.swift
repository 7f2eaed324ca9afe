extension Order {
    /// Whether an order stands.
    public enum Status: String, WireEnum {
        /// Placed and not yet delivered.
        case placed
        /// Delivered.
        case fulfilled
        /// Cancelled; insight rules ignore it.
        case cancelled
    }
}
