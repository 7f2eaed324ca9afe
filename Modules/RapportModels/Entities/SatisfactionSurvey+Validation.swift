extension SatisfactionSurvey {
    /// Checks the survey answer; the level is checked when decoding.
    public func validate() throws {
        let check = Checker(Self.kind)
        try check.record(self)
        try check.text(comment, "comment", max: 2_000)
    }
}
