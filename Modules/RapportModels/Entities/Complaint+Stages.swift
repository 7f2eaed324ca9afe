import Foundation

extension Complaint {
    /// The JSON key of the timestamp recorded when a complaint reaches `stage`.
    public static func timestampField(of stage: Stage) -> String {
        switch stage {
        case .received: "receivedAt"
        case .acknowledged: "acknowledgedAt"
        case .investigating: "investigatingAt"
        case .resolved: "resolvedAt"
        case .followedUp: "followedUpAt"
        case .closed: "closedAt"
        }
    }

    /// When the complaint reached `stage`, or `nil` if it has not.
    public func timestamp(of stage: Stage) -> Date? {
        switch stage {
        case .received: receivedAt
        case .acknowledged: acknowledgedAt
        case .investigating: investigatingAt
        case .resolved: resolvedAt
        case .followedUp: followedUpAt
        case .closed: closedAt
        }
    }

    private mutating func setTimestamp(_ date: Date, of stage: Stage) {
        switch stage {
        case .received: receivedAt = date
        case .acknowledged: acknowledgedAt = date
        case .investigating: investigatingAt = date
        case .resolved: resolvedAt = date
        case .followedUp: followedUpAt = date
        case .closed: closedAt = date
        }
    }

    /// Moves the complaint forward to `target` at `date`.
    ///
    /// Skipped stages get the same timestamp (resolving an unacknowledged complaint also
    /// acknowledges it, so the first response time is measured). Throws
    /// ``ValidationError/Rule/stageOrder`` if `target` is not after the current stage and
    /// ``ValidationError/Rule/timestampOrder`` if `date` is before the current stage's time.
    ///
    /// ```swift
    /// try complaint.advance(to: .acknowledged, at: firstReply)
    /// try complaint.advance(to: .resolved, at: fixed)
    /// ```
    public mutating func advance(to target: Stage, at date: Date) throws {
        let check = Checker(Self.kind)
        guard target > stage else {
            throw check.error(
                "stage", .stageOrder,
                "The complaint is already at '\(stage.rawValue)'; it can only move forward, not to '\(target.rawValue)'."
            )
        }
        let current = timestamp(of: stage) ?? receivedAt
        try check.notBefore(
            date, Self.timestampField(of: target), current, Self.timestampField(of: stage))
        for next in Stage.allCases where next > stage && next <= target {
            setTimestamp(date, of: next)
        }
        stage = target
    }

    /// The complaint with its breach flags brought up to date at `now`; flags only ever turn on.
    ///
    /// The response deadline is breached when the complaint was acknowledged after
    /// ``responseDueAt``, or is still unacknowledged at `now` past it; likewise resolution with
    /// ``resolutionDueAt``. The server calls this on every accepted write and periodically.
    public func updatingBreaches(at now: Date) -> Complaint {
        var copy = self
        if let due = responseDueAt, (acknowledgedAt ?? now) > due { copy.responseBreached = true }
        if let due = resolutionDueAt, (resolvedAt ?? now) > due { copy.resolutionBreached = true }
        return copy
    }
}
