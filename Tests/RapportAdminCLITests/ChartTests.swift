import Foundation
import RapportAdminCLI
import RapportCLISupport
import Testing

/// Terminal charts: bars, the value pyramid, the RFM grid and segments.
@Suite("terminal charts")
struct ChartTests {
    @Test func barsScaleToTheLongestAndAlignValues() {
        let text = Chart.bars([("key", 10, "61%"), ("normal", 40, ""), ("none", 0, "")], width: 8)
        #expect(text == "key     ██        10  61%\nnormal  ████████  40\nnone               0")
    }

    @Test func barsUseEighthsForTheRemainder() {
        let text = Chart.bars([("a", 1, ""), ("b", 16, "")], width: 2)
        #expect(text.hasPrefix("a  ▏ "), "\(text)")
    }

    @Test func pyramidCentresEachLevelAndKeepsSmallOnesVisible() {
        let text = Chart.pyramid([("key", 1, "60%"), ("normal", 100, "")], width: 10)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "key         █       1  60%")
        #expect(lines[1] == "normal  ██████████  100")
    }

    @Test func gridShadesByShareOfTheLargest() {
        let text = Chart.grid(rows: ["R2", "R1"], columns: ["F1", "F2"], counts: [[0, 4], [8, 2]], rowTitle: "", columnTitle: "f")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].contains("· 0") && lines[1].contains("▓ 4"), "\(text)")
        #expect(lines[2].contains("▒ 2"), "\(text)")
        #expect(lines[2].contains("█ 8"), "\(text)")
    }

    @Test func rfmSegmentsCoverEveryScorePair() {
        var seen = Set<String>()
        for r in 1...5 {
            for f in 1...5 { seen.insert(InsightsCommand.segment(recency: r, frequency: f)) }
        }
        #expect(seen == ["Champions", "Loyal", "New", "Needs attention", "At risk", "Hibernating"])
        #expect(InsightsCommand.segment(recency: 5, frequency: 5) == "Champions")
        #expect(InsightsCommand.segment(recency: 1, frequency: 5) == "At risk")
        #expect(InsightsCommand.segment(recency: 1, frequency: 1) == "Hibernating")
        #expect(InsightsCommand.segment(recency: 3, frequency: 1) == "Needs attention")
    }
}
