extension Receivable {
    /// Checks the receivable: non-negative amounts, outstanding at most the amount, due no
    /// earlier than issued.
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.text(invoiceNumber, "invoiceNumber", max: 64)
        try check.nonNegative(amount, "amount")
        try check.nonNegative(outstanding, "outstanding")
        if outstanding > amount {
            throw check.error(
                "outstanding", .range,
                "Outstanding \(outstanding) exceeds the invoiced amount \(amount); it can be at most the amount.")
        }
        try check.notBefore(dueAt, "dueAt", issuedAt, "issuedAt")
    }
}
