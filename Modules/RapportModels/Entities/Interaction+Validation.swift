extension Interaction {
    /// Checks the interaction: duration within a day, text lengths.
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.range(durationMinutes, "durationMinutes", 0...1_440)
        try check.text(subject, "subject", max: 200)
        try check.text(summary, "summary", max: 10_000)
    }
}
