extension Expense {
    /// Approval status of an expense.
    public enum Status: String, WireEnum {
        /// Waiting for approval; counts against the budget.
        case pending
        /// Approved; counts against the budget.
        case approved
        /// Rejected; does not count.
        case rejected
    }

    /// What an expense was spent on.
    public enum Category: String, WireEnum {
        /// Travel.
        case travel
        /// Meals and entertainment.
        case entertainment
        /// Gifts.
        case gift
        /// Product samples.
        case sample
        /// Events.
        case event
        /// Anything else.
        case other
    }
}
