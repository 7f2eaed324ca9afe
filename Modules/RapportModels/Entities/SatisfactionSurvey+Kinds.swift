extension SatisfactionSurvey {
    /// Five levels of satisfaction, written as the integers 1 to 5.
    public enum Level: Int, WireEnum, Comparable {
        /// 1: very dissatisfied.
        case veryDissatisfied = 1
        /// 2: somewhat dissatisfied.
        case somewhatDissatisfied = 2
        /// 3: neutral.
        case neutral = 3
        /// 4: satisfied.
        case satisfied = 4
        /// 5: highly satisfied.
        case highlySatisfied = 5

        /// Whether the answer counts as satisfied (4 or 5).
        public var isSatisfied: Bool { rawValue >= 4 }

        /// Lower levels sort first.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }
}
