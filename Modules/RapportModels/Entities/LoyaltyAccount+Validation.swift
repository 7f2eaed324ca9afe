extension LoyaltyAccount {
    /// Checks the account: assessment scores between 1 and 5.
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.text(cardNumber, "cardNumber", max: 64)
        try check.range(priceSensitivity, "priceSensitivity", 1...5)
        try check.range(competitorAttitude, "competitorAttitude", 1...5)
        try check.range(qualityTolerance, "qualityTolerance", 1...5)
    }
}
