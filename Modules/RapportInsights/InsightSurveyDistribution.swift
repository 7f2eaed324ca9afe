/// How survey answers spread over the five satisfaction levels.
public struct InsightSurveyDistribution: Sendable, Codable, Hashable {
    /// Answers scoring 1.
    public var veryDissatisfied: Int
    /// Answers scoring 2.
    public var somewhatDissatisfied: Int
    /// Answers scoring 3.
    public var neutral: Int
    /// Answers scoring 4.
    public var satisfied: Int
    /// Answers scoring 5.
    public var highlySatisfied: Int
    /// Answers with a score outside 1...5, left out of every share.
    public var ignored: Int

    /// Creates a distribution; all counts default to zero.
    public init(
        veryDissatisfied: Int = 0,
        somewhatDissatisfied: Int = 0,
        neutral: Int = 0,
        satisfied: Int = 0,
        highlySatisfied: Int = 0,
        ignored: Int = 0
    ) {
        self.veryDissatisfied = veryDissatisfied
        self.somewhatDissatisfied = somewhatDissatisfied
        self.neutral = neutral
        self.satisfied = satisfied
        self.highlySatisfied = highlySatisfied
        self.ignored = ignored
    }

    /// Counts the scores; anything outside 1...5 goes to ``ignored``.
    public init(scores: some Sequence<Int>) {
        self.init()
        for score in scores {
            switch score {
            case 1: veryDissatisfied += 1
            case 2: somewhatDissatisfied += 1
            case 3: neutral += 1
            case 4: satisfied += 1
            case 5: highlySatisfied += 1
            default: ignored += 1
            }
        }
    }

    /// Valid answers (scores 1...5).
    public var total: Int { veryDissatisfied + somewhatDissatisfied + neutral + satisfied + highlySatisfied }

    /// Answers with exactly `score`; 0 outside 1...5.
    public func count(ofScore score: Int) -> Int {
        switch score {
        case 1: veryDissatisfied
        case 2: somewhatDissatisfied
        case 3: neutral
        case 4: satisfied
        case 5: highlySatisfied
        default: 0
        }
    }

    /// Share of valid answers with exactly `score`; `nil` without valid answers.
    public func share(ofScore score: Int) -> Double? {
        total > 0 ? Double(count(ofScore: score)) / Double(total) : nil
    }

    /// Share of valid answers scoring `minimumScore` or more (4 or 5 by default); `nil` without
    /// valid answers.
    public func satisfiedShare(minimumScore: Int = 4) -> Double? {
        guard total > 0 else { return nil }
        let satisfiedCount = (max(1, minimumScore)...5).reduce(0) { $0 + count(ofScore: $1) }
        return Double(satisfiedCount) / Double(total)
    }
}
