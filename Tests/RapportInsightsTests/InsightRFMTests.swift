import Foundation
import PropertyBased
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight rule 2: RFM")
struct InsightRFMTests {
    typealias F = InsightFixture

    @Test(
        "mid-rank quintile score: 1 + floor(5 × (worse + equal/2) ÷ n)",
        arguments: [
            // Ten distinct values: position p (0-based) → 1 + floor((2p + 1) / 4) → two per score.
            ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
            // Five distinct values: one per score.
            ([50, 10, 40, 20, 30], [5, 1, 4, 2, 3]),
            // Ties: 10 → 1 + ⌊5·1/10⌋ = 1; 20 (1 worse, 2 equal) → 1 + ⌊5·4/10⌋ = 3;
            // 30 → 1 + ⌊5·7/10⌋ = 4; 40 → 1 + ⌊5·9/10⌋ = 5.
            ([10, 20, 20, 30, 40], [1, 3, 3, 4, 5]),
            // All equal: 1 + ⌊5·4/8⌋ = 3 for everyone.
            ([7, 7, 7, 7], [3, 3, 3, 3]),
            // One value: 1 + ⌊5/2⌋ = 3. Two: 1 + ⌊5/4⌋ = 2 and 1 + ⌊15/4⌋ = 4.
            ([9], [3]),
            ([1, 2], [2, 4]),
            ([], []),
        ] as [([Int], [Int])])
    func quintileFormula(values: [Int], expected: [Int]) {
        let scores = InsightMath.quintileScores(values)
        #expect(values.map { scores[$0] } == expected)
    }

    @Test("scores stay in 1...5 and never decrease with the value")
    func quintileProperties() async {
        await propertyCheck(input: Gen.int(in: -5...5).array(of: 1...60)) { values in
            let scores = InsightMath.quintileScores(values)
            let sorted = values.sorted()
            let ordered = sorted.map { scores[$0]! }
            #expect(ordered.allSatisfy { (1...5).contains($0) })
            #expect(zip(ordered, ordered.dropFirst()).allSatisfy { $0 <= $1 })
        }
    }

    @Test(
        "fixed recency cut-offs 30/60/90/180 days",
        arguments: [(0, 5), (30, 5), (31, 4), (60, 4), (61, 3), (90, 3), (91, 2), (180, 2), (181, 1), (364, 1)])
    func fixedRecency(days: Int, score: Int) {
        #expect(F.rules().fixedRecencyScore(days: days) == score)
        // The same through the rule: one customer is a segment of 1 < 50 → fixed cut-offs.
        let rfm = F.rules().rfmScores(
            customers: [F.customer(1)], orders: [F.order(1, at: F.daysAgo(days), net: 10)], asOf: F.asOf)
        #expect(rfm.first?.recencyScore == score)
        #expect(rfm.first?.recencyMethod == .fixedCutoffs)
        #expect(rfm.first?.recencyDays == days)
    }

    @Test("R, F and M of a customer over the trailing window")
    func rawFigures() {
        // Three orders in the window (last 12 days ago) and one 400 days ago that is ignored.
        let orders = [
            F.order(1, at: F.daysAgo(12), net: 30), F.order(1, at: F.daysAgo(100), net: 20),
            F.order(1, at: F.daysAgo(200), net: -5), F.order(1, at: F.daysAgo(400), net: 1_000),
        ]
        let score = F.rules().rfmScores(customers: [F.customer(1)], orders: orders, asOf: F.asOf).first
        #expect(score?.recencyDays == 12)
        #expect(score?.frequency == 3)
        #expect(score?.monetary == 45)
        // A segment of one: F and M score 3 (mid-rank of a single value), R by cut-off → 5.
        #expect(score?.code == "533")
    }

    @Test("individuals and enterprises are scored apart")
    func segmentsApart() {
        // Individuals spend 10…50, enterprises 1000…5000. Within its own segment the individual
        // spending 50 is the top spender (M = 5) although every enterprise spends more.
        let individuals = (1...5).map { F.customer($0, kind: .individual) }
        let enterprises = (6...10).map { F.customer($0, kind: .enterprise) }
        let orders =
            (1...5).map { F.order($0, net: Int64($0 * 10)) }
            + (6...10).map { F.order($0, net: Int64(($0 - 5) * 1_000)) }
        let rfm = F.rules().rfmScores(customers: individuals + enterprises, orders: orders, asOf: F.asOf)
        #expect(rfm.map(\.monetaryScore) == [1, 2, 3, 4, 5, 1, 2, 3, 4, 5])
        #expect(rfm.allSatisfy { $0.segmentSize == 5 })
        #expect(rfm.prefix(5).allSatisfy { $0.kind == .individual })
    }

    @Test("a segment of 50 scores recency by quintile, one of 49 by cut-offs")
    func segmentSizeSwitch() {
        // Customer i ordered i days ago (i = 1…50). Quintile: fewer days is better, so customer i
        // has 50 − i customers worse → R = 1 + ⌊5 · (2(50 − i) + 1) / 100⌋:
        // i = 1…10 → 5, 11…20 → 4, 21…30 → 3, 31…40 → 2, 41…50 → 1.
        let customers = (1...50).map { F.customer($0) }
        let orders = (1...50).map { F.order($0, at: F.daysAgo($0), net: 10) }
        let rfm = F.rules().rfmScores(customers: customers, orders: orders, asOf: F.asOf)
        #expect(rfm.allSatisfy { $0.recencyMethod == .quintile })
        #expect(rfm.map(\.recencyScore) == (1...50).map { 5 - ($0 - 1) / 10 })
        // Everyone spent and ordered the same → F = M = 3.
        #expect(rfm.allSatisfy { $0.frequencyScore == 3 && $0.monetaryScore == 3 })

        // 49 customers → cut-offs: 1…30 days → 5, 31…49 → 4.
        let small = F.rules().rfmScores(
            customers: Array(customers.prefix(49)), orders: Array(orders.prefix(49)), asOf: F.asOf)
        #expect(small.allSatisfy { $0.recencyMethod == .fixedCutoffs })
        #expect(small.map(\.recencyScore) == (1...49).map { $0 <= 30 ? 5 : 4 })
    }

    @Test("customers without orders in the window are not scored; empty input gives nothing")
    func unscored() {
        let rules = F.rules()
        #expect(rules.rfmScores(customers: [], orders: [], asOf: F.asOf).isEmpty)
        let rfm = rules.rfmScores(
            customers: [F.customer(1), F.customer(2)], orders: [F.order(2, at: F.daysAgo(400), net: 5)], asOf: F.asOf)
        #expect(rfm.isEmpty)
    }
}
