extension InsightThresholds {
    /// Checks that every threshold is in range and that related thresholds agree.
    ///
    /// - Throws: ``InsightThresholdsError`` naming the first offending field.
    public func validate() throws(InsightThresholdsError) {
        func require(_ condition: Bool, _ field: String, _ message: String, inconsistent: Bool = false)
            throws(InsightThresholdsError)
        {
            if !condition {
                throw InsightThresholdsError(
                    code: inconsistent ? .inconsistent : .outOfRange, field: field, message: message)
            }
        }
        let unit = 0.0...1.0
        try require(trailingMonths >= 1, "trailingMonths", "use at least 1 month")
        try require(
            keyProfitShare > 0 && keyProfitShare <= 1, "keyProfitShare", "use a share in (0, 1], e.g. 0.8")
        try require(unit.contains(normalProfitShare), "normalProfitShare", "use a share in [0, 1], e.g. 0.95")
        try require(
            keyProfitShare <= normalProfitShare, "normalProfitShare", "must not be below keyProfitShare",
            inconsistent: true)
        try require(toDropOverdueDays >= 0, "toDropOverdueDays", "use zero or more days")
        try require(minimumRankingAgeDays >= 0, "minimumRankingAgeDays", "use zero or more days")
        try require(
            upgradeProfitGrowth.isFinite && upgradeProfitGrowth >= 0, "upgradeProfitGrowth",
            "use a growth share of zero or more")
        try require((1...5).contains(upgradeMinimumRecencyScore), "upgradeMinimumRecencyScore", "use a score 1...5")
        try require(
            (1...5).contains(upgradeMinimumFrequencyScore), "upgradeMinimumFrequencyScore", "use a score 1...5")
        try require(
            (1...5).contains(upgradeMaximumMonetaryScore), "upgradeMaximumMonetaryScore", "use a score 1...5")
        try require(rfmMinimumSegmentSize >= 0, "rfmMinimumSegmentSize", "use zero or more customers")
        try require(
            rfmRecencyCutoffDays.count == 4 && rfmRecencyCutoffDays.allSatisfy { $0 >= 0 }
                && zip(rfmRecencyCutoffDays, rfmRecencyCutoffDays.dropFirst()).allSatisfy { $0 < $1 },
            "rfmRecencyCutoffDays", "give four strictly ascending day counts, e.g. [30, 60, 90, 180]")
        try require(
            creditWarningUtilisation > 0 && creditWarningUtilisation.isFinite, "creditWarningUtilisation",
            "use a positive share, e.g. 0.9")
        try require(
            creditCriticalUtilisation.isFinite && creditWarningUtilisation <= creditCriticalUtilisation,
            "creditCriticalUtilisation", "must not be below creditWarningUtilisation", inconsistent: true)
        try require(creditCriticalDaysPastTerms >= 0, "creditCriticalDaysPastTerms", "use zero or more days")
        try require(unit.contains(planMinimumElapsedShare), "planMinimumElapsedShare", "use a share in [0, 1]")
        try require(
            planCriticalRatio >= 0 && planCriticalRatio.isFinite, "planCriticalRatio", "use zero or more")
        try require(
            planWarningRatio.isFinite && planCriticalRatio <= planWarningRatio, "planWarningRatio",
            "must not be below planCriticalRatio", inconsistent: true)
        try require(
            budgetWarningShare > 0 && budgetWarningShare.isFinite, "budgetWarningShare", "use a positive share")
        try require(
            budgetCriticalShare.isFinite && budgetWarningShare <= budgetCriticalShare, "budgetCriticalShare",
            "must not be below budgetWarningShare", inconsistent: true)
        try require(churnMinimumOrders >= 2, "churnMinimumOrders", "use 2 or more so that there is a gap")
        try require(
            churnWarningGapMultiple > 0 && churnWarningGapMultiple.isFinite, "churnWarningGapMultiple",
            "use a positive multiple")
        try require(
            churnCriticalGapMultiple.isFinite && churnWarningGapMultiple <= churnCriticalGapMultiple,
            "churnCriticalGapMultiple", "must not be below churnWarningGapMultiple", inconsistent: true)
        try require(churnWarningMinimumDays >= 0, "churnWarningMinimumDays", "use zero or more days")
        try require(
            churnWarningMinimumDays <= churnCriticalMinimumDays, "churnCriticalMinimumDays",
            "must not be below churnWarningMinimumDays", inconsistent: true)
        try require(churnFewOrdersEnterpriseDays >= 0, "churnFewOrdersEnterpriseDays", "use zero or more days")
        try require(churnFewOrdersIndividualDays >= 0, "churnFewOrdersIndividualDays", "use zero or more days")
        try require(
            revenueDropShare > 0 && revenueDropShare <= 1, "revenueDropShare", "use a share in (0, 1], e.g. 0.5")
        try require((1...5).contains(satisfiedMinimumScore), "satisfiedMinimumScore", "use a score 1...5")
        for (field, value) in [
            ("keyResponseBusinessHours", keyResponseBusinessHours), ("keyResolutionDays", keyResolutionDays),
            ("standardResponseHours", standardResponseHours), ("standardResolutionDays", standardResolutionDays),
        ] {
            try require(value >= 0 && value.isFinite, field, "use zero or more")
        }
        try require(
            businessHours.isValid, "businessHours",
            "name at least one weekday 1...7 and 0 <= openingMinute < closingMinute <= 1440")
    }
}
