import RapportProtocol

/// Decides what one pull page holds: a pure function of the device's delivered scope, the
/// current scope, and the change-log entries after the cursor (`Docs/Protocol.md`, "Pull
/// algorithm").
///
/// Order within a page: records that left the scope, then records that entered it (whole),
/// then records that changed, each counting against the page size. The change log is read
/// only once the scope difference has been delivered completely, so a cursor's sequence
/// always means "every change at or below it has reached the device".
public struct PullPlanner: Sendable {
    /// What the page holds and where the device will be after applying it.
    public struct Plan: Sendable, Hashable {
        /// Held records no longer visible (deleted or evicted), sorted.
        public var leaving: [RecordKey]
        /// Visible records the device does not hold, sorted.
        public var entering: [RecordKey]
        /// Held, still-visible records with changes after the cursor, in log order.
        public var changed: [RecordKey]
        /// The sequence the next cursor carries.
        public var sequence: Int64
        /// What the device holds after applying the page.
        public var delivered: Set<RecordKey>
        /// Whether more pages follow.
        public var hasMore: Bool
    }

    /// The cursor's sequence.
    public var sequence: Int64
    /// The stable high-water mark.
    public var stableSequence: Int64
    /// The most entries (changes + evictions) in the page.
    public var limit: Int

    /// Creates a planner.
    public init(sequence: Int64, stableSequence: Int64, limit: Int) {
        self.sequence = sequence
        self.stableSequence = stableSequence
        self.limit = limit
    }

    /// Plans a page. `entries` are the log entries after ``sequence`` up to ``stableSequence``
    /// in order; `logExhausted` says whether they reach ``stableSequence`` (no entries were
    /// left unread).
    public func plan(delivered: Set<RecordKey>, visible: Set<RecordKey>, entries: [ChangeLogEntry], logExhausted: Bool) -> Plan {
        var budget = max(limit, 1)
        let left = delivered.subtracting(visible).sorted()
        let entered = visible.subtracting(delivered).sorted()
        let leaving = Array(left.prefix(budget))
        budget -= leaving.count
        let entering = Array(entered.prefix(budget))
        budget -= entering.count
        let now = delivered.subtracting(leaving).union(entering)
        guard leaving.count == left.count, entering.count == entered.count else {
            return Plan(leaving: leaving, entering: entering, changed: [], sequence: sequence, delivered: now, hasMore: true)
        }
        var changed: [RecordKey] = []
        var seen: Set<RecordKey> = []
        var reached = sequence
        var stopped = false
        for entry in entries {
            let relevant = delivered.contains(entry.key) && visible.contains(entry.key) && !seen.contains(entry.key)
            if relevant {
                if budget == 0 {
                    stopped = true
                    break
                }
                seen.insert(entry.key)
                changed.append(entry.key)
                budget -= 1
            }
            reached = entry.sequence
        }
        let complete = !stopped && logExhausted
        if complete { reached = max(reached, stableSequence) }
        return Plan(leaving: leaving, entering: entering, changed: changed, sequence: reached, delivered: now, hasMore: !complete)
    }
}
