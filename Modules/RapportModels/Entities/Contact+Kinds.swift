extension Contact {
    /// What a contact does in the buying relationship.
    public enum Role: String, WireEnum {
        /// The person in charge of the relationship on the customer's side.
        case personInCharge
        /// Makes the buying decision.
        case decisionMaker
        /// Places orders.
        case purchaser
        /// Pays invoices.
        case finance
        /// Anything else.
        case other
    }
}
