/// Small numeric helpers shared by the rules. Nothing here returns NaN or infinity.
enum InsightMath {
    /// The median: the middle value, or the mean of the two middle values; `nil` when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 {
            return sorted[middle]
        }
        return (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `numerator ÷ denominator`, or `nil` when the denominator is zero or the result is not
    /// finite.
    static func ratio(_ numerator: Double, _ denominator: Double) -> Double? {
        guard denominator != 0 else { return nil }
        let value = numerator / denominator
        return value.isFinite ? value : nil
    }

    /// `numerator ÷ denominator` for money and counts, or `nil` when the denominator is zero.
    static func ratio(_ numerator: Int64, _ denominator: Int64) -> Double? {
        ratio(Double(numerator), Double(denominator))
    }

    /// The quintile score of a value among `count` values, of which `worse` are strictly worse
    /// and `equal` (including the value itself) are equal:
    /// `1 + floor(5 × (worse + equal / 2) ÷ count)`, computed exactly in integers.
    ///
    /// Ties share one score, taken at the middle of their run (mid-rank), so a population of
    /// identical values scores 3 throughout.
    static func quintileScore(worse: Int, equal: Int, count: Int) -> Int {
        guard count > 0 else { return 3 }
        return min(5, 1 + (5 * (2 * worse + equal)) / (2 * count))
    }

    /// Quintile scores of every distinct value in `values`, higher values scoring higher.
    static func quintileScores<Value: Comparable & Hashable>(_ values: [Value]) -> [Value: Int] {
        let sorted = values.sorted()
        var scores: [Value: Int] = [:]
        var index = 0
        while index < sorted.count {
            var runEnd = index
            while runEnd + 1 < sorted.count && sorted[runEnd + 1] == sorted[index] {
                runEnd += 1
            }
            scores[sorted[index]] = quintileScore(worse: index, equal: runEnd - index + 1, count: sorted.count)
            index = runEnd + 1
        }
        return scores
    }
}
