extension Expense {
    /// Checks the expense: a non-negative amount; a decided expense names its approver.
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.nonNegative(amount, "amount")
        try check.text(description, "description", max: 1_000)
        if status != .pending, approverId == nil {
            throw check.error(
                "approverId", .required,
                "An \(status.rawValue) expense needs 'approverId'; record who decided it.")
        }
    }
}
