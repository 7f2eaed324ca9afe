extension Order {
    /// Checks the order: non-negative net amount and discount.
    ///
    /// Gross profit may be negative (a loss-making order).
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.text(number, "number", max: 64)
        try check.nonNegative(netAmount, "netAmount")
        try check.nonNegative(discount, "discount")
    }
}
