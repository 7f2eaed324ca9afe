extension InsightThresholds: Codable {
    private enum CodingKeys: String, CodingKey {
        case trailingMonths, keyProfitShare, normalProfitShare, toDropOverdueDays, minimumRankingAgeDays
        case upgradeProfitGrowth, upgradeMinimumRecencyScore, upgradeMinimumFrequencyScore
        case upgradeMaximumMonetaryScore, rfmMinimumSegmentSize, rfmRecencyCutoffDays
        case creditWarningUtilisation, creditCriticalUtilisation, creditCriticalDaysPastTerms
        case planMinimumElapsedShare, planWarningRatio, planCriticalRatio
        case budgetWarningShare, budgetCriticalShare
        case churnMinimumOrders, churnWarningGapMultiple, churnWarningMinimumDays, churnCriticalGapMultiple
        case churnCriticalMinimumDays, churnFewOrdersEnterpriseDays, churnFewOrdersIndividualDays
        case revenueDropShare, satisfiedMinimumScore, keyResponseBusinessHours, keyResolutionDays
        case standardResponseHours, standardResolutionDays, businessHours
    }

    /// Decodes thresholds, taking the default for every missing key, then validates them.
    ///
    /// - Throws: `DecodingError` for malformed values, ``InsightThresholdsError`` for values
    ///   that ``validate()`` rejects.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var t = InsightThresholds()
        func read<T: Decodable>(_ key: CodingKeys, into value: inout T) throws {
            if let decoded = try c.decodeIfPresent(T.self, forKey: key) {
                value = decoded
            }
        }
        try read(.trailingMonths, into: &t.trailingMonths)
        try read(.keyProfitShare, into: &t.keyProfitShare)
        try read(.normalProfitShare, into: &t.normalProfitShare)
        try read(.toDropOverdueDays, into: &t.toDropOverdueDays)
        try read(.minimumRankingAgeDays, into: &t.minimumRankingAgeDays)
        try read(.upgradeProfitGrowth, into: &t.upgradeProfitGrowth)
        try read(.upgradeMinimumRecencyScore, into: &t.upgradeMinimumRecencyScore)
        try read(.upgradeMinimumFrequencyScore, into: &t.upgradeMinimumFrequencyScore)
        try read(.upgradeMaximumMonetaryScore, into: &t.upgradeMaximumMonetaryScore)
        try read(.rfmMinimumSegmentSize, into: &t.rfmMinimumSegmentSize)
        try read(.rfmRecencyCutoffDays, into: &t.rfmRecencyCutoffDays)
        try read(.creditWarningUtilisation, into: &t.creditWarningUtilisation)
        try read(.creditCriticalUtilisation, into: &t.creditCriticalUtilisation)
        try read(.creditCriticalDaysPastTerms, into: &t.creditCriticalDaysPastTerms)
        try read(.planMinimumElapsedShare, into: &t.planMinimumElapsedShare)
        try read(.planWarningRatio, into: &t.planWarningRatio)
        try read(.planCriticalRatio, into: &t.planCriticalRatio)
        try read(.budgetWarningShare, into: &t.budgetWarningShare)
        try read(.budgetCriticalShare, into: &t.budgetCriticalShare)
        try read(.churnMinimumOrders, into: &t.churnMinimumOrders)
        try read(.churnWarningGapMultiple, into: &t.churnWarningGapMultiple)
        try read(.churnWarningMinimumDays, into: &t.churnWarningMinimumDays)
        try read(.churnCriticalGapMultiple, into: &t.churnCriticalGapMultiple)
        try read(.churnCriticalMinimumDays, into: &t.churnCriticalMinimumDays)
        try read(.churnFewOrdersEnterpriseDays, into: &t.churnFewOrdersEnterpriseDays)
        try read(.churnFewOrdersIndividualDays, into: &t.churnFewOrdersIndividualDays)
        try read(.revenueDropShare, into: &t.revenueDropShare)
        try read(.satisfiedMinimumScore, into: &t.satisfiedMinimumScore)
        try read(.keyResponseBusinessHours, into: &t.keyResponseBusinessHours)
        try read(.keyResolutionDays, into: &t.keyResolutionDays)
        try read(.standardResponseHours, into: &t.standardResponseHours)
        try read(.standardResolutionDays, into: &t.standardResolutionDays)
        try read(.businessHours, into: &t.businessHours)
        try t.validate()
        self = t
    }

    /// Encodes every threshold, so the output documents the values in force.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trailingMonths, forKey: .trailingMonths)
        try c.encode(keyProfitShare, forKey: .keyProfitShare)
        try c.encode(normalProfitShare, forKey: .normalProfitShare)
        try c.encode(toDropOverdueDays, forKey: .toDropOverdueDays)
        try c.encode(minimumRankingAgeDays, forKey: .minimumRankingAgeDays)
        try c.encode(upgradeProfitGrowth, forKey: .upgradeProfitGrowth)
        try c.encode(upgradeMinimumRecencyScore, forKey: .upgradeMinimumRecencyScore)
        try c.encode(upgradeMinimumFrequencyScore, forKey: .upgradeMinimumFrequencyScore)
        try c.encode(upgradeMaximumMonetaryScore, forKey: .upgradeMaximumMonetaryScore)
        try c.encode(rfmMinimumSegmentSize, forKey: .rfmMinimumSegmentSize)
        try c.encode(rfmRecencyCutoffDays, forKey: .rfmRecencyCutoffDays)
        try c.encode(creditWarningUtilisation, forKey: .creditWarningUtilisation)
        try c.encode(creditCriticalUtilisation, forKey: .creditCriticalUtilisation)
        try c.encode(creditCriticalDaysPastTerms, forKey: .creditCriticalDaysPastTerms)
        try c.encode(planMinimumElapsedShare, forKey: .planMinimumElapsedShare)
        try c.encode(planWarningRatio, forKey: .planWarningRatio)
        try c.encode(planCriticalRatio, forKey: .planCriticalRatio)
        try c.encode(budgetWarningShare, forKey: .budgetWarningShare)
        try c.encode(budgetCriticalShare, forKey: .budgetCriticalShare)
        try c.encode(churnMinimumOrders, forKey: .churnMinimumOrders)
        try c.encode(churnWarningGapMultiple, forKey: .churnWarningGapMultiple)
        try c.encode(churnWarningMinimumDays, forKey: .churnWarningMinimumDays)
        try c.encode(churnCriticalGapMultiple, forKey: .churnCriticalGapMultiple)
        try c.encode(churnCriticalMinimumDays, forKey: .churnCriticalMinimumDays)
        try c.encode(churnFewOrdersEnterpriseDays, forKey: .churnFewOrdersEnterpriseDays)
        try c.encode(churnFewOrdersIndividualDays, forKey: .churnFewOrdersIndividualDays)
        try c.encode(revenueDropShare, forKey: .revenueDropShare)
        try c.encode(satisfiedMinimumScore, forKey: .satisfiedMinimumScore)
        try c.encode(keyResponseBusinessHours, forKey: .keyResponseBusinessHours)
        try c.encode(keyResolutionDays, forKey: .keyResolutionDays)
        try c.encode(standardResponseHours, forKey: .standardResponseHours)
        try c.encode(standardResolutionDays, forKey: .standardResolutionDays)
        try c.encode(businessHours, forKey: .businessHours)
    }
}
