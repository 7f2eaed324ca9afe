extension PointsTransaction {
    /// Checks the transaction: points are not zero and their sign matches the reason.
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.text(note, "note", max: 500)
        let wrongSign: Bool =
            switch reason {
            case .purchase, .bonus: points <= 0
            case .redemption, .expiry: points >= 0
            case .adjustment: points == 0
            }
        if wrongSign {
            let expected =
                switch reason {
                case .purchase, .bonus: "positive"
                case .redemption, .expiry: "negative"
                case .adjustment: "non-zero"
                }
            throw check.error(
                "points", .range,
                "A \(reason.rawValue) changes points by a \(expected) amount, not \(points); fix the sign or the reason."
            )
        }
    }
}
