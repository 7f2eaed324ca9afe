import Foundation

/// Organisation-wide knobs of the access policy. Every default is documented in
/// `Docs/Security.md`; change them through the admin tool, never in code.
public struct AccessSettings: Hashable, Codable, Sendable {
    /// Lifetime of a grant when the grantor does not say (7 days).
    public var defaultGrantDuration: TimeInterval
    /// Longest lifetime of an ordinary grant (30 days).
    public var maximumGrantDuration: TimeInterval
    /// Lifetime of a break-glass grant when the grantor does not say (4 hours).
    public var defaultBreakGlassDuration: TimeInterval
    /// Longest lifetime of a break-glass grant (8 hours).
    public var maximumBreakGlassDuration: TimeInterval
    /// Whether changes that widen someone's effective access beyond ``wideningBounds`` (and
    /// loosened settings, this one included) wait for a second administrator's approval.
    public var requireSecondApprovalForWidening: Bool
    /// Whether a high or critical anomaly alert suspends the person automatically.
    public var autoSuspendOnHighAlert: Bool
    /// The organisation's offset from UTC in seconds, for days and working hours (China: +8 h).
    public var utcOffsetSeconds: Int
    /// First working hour of the day, local time (8 → 08:00).
    public var workdayStartHour: Int
    /// Hour the working day ends, local time (20 → 20:00).
    public var workdayEndHour: Int
    /// Working weekdays, 1 = Monday … 7 = Sunday.
    public var workingWeekdays: Set<Int>
    /// Quotas of a person serving notice (each limit also capped by their roles' limits).
    public var noticeQuotas: QuotaLimits
    /// Thresholds of the anomaly detector.
    public var anomaly: AnomalyThresholds
    /// How far one administrator may widen someone's access alone (see ``AccessPolicy/widening(from:to:now:)``).
    public var wideningBounds: WideningBounds

    /// Creates settings; every parameter has the documented default.
    public init(
        defaultGrantDuration: TimeInterval = 7 * 86_400,
        maximumGrantDuration: TimeInterval = 30 * 86_400,
        defaultBreakGlassDuration: TimeInterval = 4 * 3_600,
        maximumBreakGlassDuration: TimeInterval = 8 * 3_600,
        requireSecondApprovalForWidening: Bool = true,
        autoSuspendOnHighAlert: Bool = false,
        utcOffsetSeconds: Int = 8 * 3_600,
        workdayStartHour: Int = 8,
        workdayEndHour: Int = 20,
        workingWeekdays: Set<Int> = [1, 2, 3, 4, 5, 6],
        noticeQuotas: QuotaLimits = QuotaLimits(
            distinctCustomersPerDay: 50, exportsPerDay: 0, sensitiveRevealsPerHour: 0),
        anomaly: AnomalyThresholds = AnomalyThresholds(),
        wideningBounds: WideningBounds = WideningBounds()
    ) {
        self.defaultGrantDuration = defaultGrantDuration
        self.maximumGrantDuration = maximumGrantDuration
        self.defaultBreakGlassDuration = defaultBreakGlassDuration
        self.maximumBreakGlassDuration = maximumBreakGlassDuration
        self.requireSecondApprovalForWidening = requireSecondApprovalForWidening
        self.autoSuspendOnHighAlert = autoSuspendOnHighAlert
        self.utcOffsetSeconds = utcOffsetSeconds
        self.workdayStartHour = workdayStartHour
        self.workdayEndHour = workdayEndHour
        self.workingWeekdays = workingWeekdays
        self.noticeQuotas = noticeQuotas
        self.anomaly = anomaly
        self.wideningBounds = wideningBounds
    }

    /// The local calendar these settings describe.
    public var clock: LocalClock {
        LocalClock(
            utcOffsetSeconds: utcOffsetSeconds, workdayStartHour: workdayStartHour,
            workdayEndHour: workdayEndHour, workingWeekdays: workingWeekdays)
    }
}

extension AccessSettings {
    private enum CodingKeys: String, CodingKey {
        case defaultGrantDuration, maximumGrantDuration, defaultBreakGlassDuration, maximumBreakGlassDuration
        case requireSecondApprovalForWidening, autoSuspendOnHighAlert, utcOffsetSeconds, workdayStartHour
        case workdayEndHour, workingWeekdays, noticeQuotas, anomaly, wideningBounds
    }

    /// Decodes stored settings; a setting missing from the stored object (one added by a later
    /// version) takes its documented default, so an upgrade never loses the stored ones.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AccessSettings()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        self.init(
            defaultGrantDuration: try value(.defaultGrantDuration, defaults.defaultGrantDuration),
            maximumGrantDuration: try value(.maximumGrantDuration, defaults.maximumGrantDuration),
            defaultBreakGlassDuration: try value(.defaultBreakGlassDuration, defaults.defaultBreakGlassDuration),
            maximumBreakGlassDuration: try value(.maximumBreakGlassDuration, defaults.maximumBreakGlassDuration),
            requireSecondApprovalForWidening: try value(
                .requireSecondApprovalForWidening, defaults.requireSecondApprovalForWidening),
            autoSuspendOnHighAlert: try value(.autoSuspendOnHighAlert, defaults.autoSuspendOnHighAlert),
            utcOffsetSeconds: try value(.utcOffsetSeconds, defaults.utcOffsetSeconds),
            workdayStartHour: try value(.workdayStartHour, defaults.workdayStartHour),
            workdayEndHour: try value(.workdayEndHour, defaults.workdayEndHour),
            workingWeekdays: try value(.workingWeekdays, defaults.workingWeekdays),
            noticeQuotas: try value(.noticeQuotas, defaults.noticeQuotas),
            anomaly: try value(.anomaly, defaults.anomaly),
            wideningBounds: try value(.wideningBounds, defaults.wideningBounds))
    }
}
