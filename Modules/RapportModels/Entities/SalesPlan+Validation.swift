extension SalesPlan {
    /// Checks the plan: the period ends after it starts; the planned amount is non-negative.
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.after(periodEnd, "periodEnd", periodStart, "periodStart")
        try check.nonNegative(plannedAmount, "plannedAmount")
    }
}
