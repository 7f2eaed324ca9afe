import Foundation
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight thresholds")
struct InsightThresholdsTests {
    @Test("defaults are the numbers of DOMAIN.md")
    func defaults() throws {
        let t = InsightThresholds()
        try t.validate()
        #expect(t.trailingMonths == 12)
        #expect([t.keyProfitShare, t.normalProfitShare, t.upgradeProfitGrowth] == [0.80, 0.95, 0.25])
        #expect([t.toDropOverdueDays, t.minimumRankingAgeDays] == [180, 90] as [Int])
        #expect(
            [t.upgradeMinimumRecencyScore, t.upgradeMinimumFrequencyScore, t.upgradeMaximumMonetaryScore] == [4, 4, 3]
                as [Int])
        #expect(t.rfmMinimumSegmentSize == 50 && t.rfmRecencyCutoffDays == [30, 60, 90, 180])
        #expect([t.creditWarningUtilisation, t.creditCriticalUtilisation] == [0.9, 1.0])
        #expect(t.creditCriticalDaysPastTerms == 30)
        #expect([t.planMinimumElapsedShare, t.planWarningRatio, t.planCriticalRatio] == [0.25, 0.8, 0.6])
        #expect([t.budgetWarningShare, t.budgetCriticalShare] == [0.9, 1.0])
        #expect(t.churnMinimumOrders == 3)
        #expect([t.churnWarningGapMultiple, t.churnCriticalGapMultiple, t.revenueDropShare] == [2, 3, 0.5])
        #expect(
            [
                t.churnWarningMinimumDays, t.churnCriticalMinimumDays, t.churnFewOrdersEnterpriseDays,
                t.churnFewOrdersIndividualDays,
            ] == [30, 180, 90, 180] as [Int])
        #expect(t.satisfiedMinimumScore == 4)
        #expect(
            [t.keyResponseBusinessHours, t.keyResolutionDays, t.standardResponseHours, t.standardResolutionDays]
                == [4, 3, 24, 5])
        #expect(
            t.businessHours
                == InsightBusinessHours(weekdays: [2, 3, 4, 5, 6], openingMinute: 540, closingMinute: 1_080))
    }

    @Test("decoding fills missing keys with defaults and round-trips")
    func decoding() throws {
        let empty = try JSONDecoder().decode(InsightThresholds.self, from: Data("{}".utf8))
        #expect(empty == InsightThresholds())
        let partial = try JSONDecoder().decode(
            InsightThresholds.self,
            from: Data(
                #"{"keyProfitShare":0.7,"businessHours":{"weekdays":[1,2,3,4,5],"openingMinute":480,"closingMinute":1020}}"#
                    .utf8))
        var expected = InsightThresholds()
        expected.keyProfitShare = 0.7
        expected.businessHours = InsightBusinessHours(
            weekdays: [1, 2, 3, 4, 5], openingMinute: 480, closingMinute: 1_020)
        #expect(partial == expected)
        let again = try JSONDecoder().decode(InsightThresholds.self, from: JSONEncoder().encode(partial))
        #expect(again == partial)
    }

    @Test(
        "invalid thresholds are rejected with the field named",
        arguments: [
            (#"{"keyProfitShare":0.97}"#, "normalProfitShare", InsightThresholdsError.Code.inconsistent),
            (#"{"keyProfitShare":0}"#, "keyProfitShare", .outOfRange),
            (#"{"rfmRecencyCutoffDays":[30,90,60,180]}"#, "rfmRecencyCutoffDays", .outOfRange),
            (#"{"rfmRecencyCutoffDays":[30,60,90]}"#, "rfmRecencyCutoffDays", .outOfRange),
            (#"{"planCriticalRatio":0.9}"#, "planWarningRatio", .inconsistent),
            (#"{"creditWarningUtilisation":1.2}"#, "creditCriticalUtilisation", .inconsistent),
            (#"{"churnMinimumOrders":1}"#, "churnMinimumOrders", .outOfRange),
            (
                #"{"businessHours":{"weekdays":[],"openingMinute":540,"closingMinute":1080}}"#, "businessHours",
                .outOfRange
            ),
        ])
    func rejected(json: String, field: String, code: InsightThresholdsError.Code) {
        #expect {
            _ = try JSONDecoder().decode(InsightThresholds.self, from: Data(json.utf8))
        } throws: { error in
            guard let error = error as? InsightThresholdsError else { return false }
            return error.field == field && error.code == code && !error.message.isEmpty
        }
    }
}
