import Foundation

/// One person's recent activity: per-day counts for the trailing 30 days plus today's distinct
/// customer sets. A pure value the server persists and feeds with events as they happen.
///
/// Events for a day earlier than the latest one seen are ignored (counts are built as events
/// arrive); days older than ``retainedDays`` are dropped.
public struct ActivityHistory: Hashable, Codable, Sendable {
    /// How many past days are kept (the baseline window plus today).
    public static let retainedDays = 31

    /// The organisation's calendar.
    public var clock: LocalClock
    /// Completed and current days, oldest first.
    public private(set) var days: [DailyActivity] = []
    private var customersToday: Set<UUID> = []
    private var outOfHoursToday: Set<UUID> = []

    /// Creates an empty history.
    public init(clock: LocalClock) {
        self.clock = clock
    }

    /// Creates a history from past daily counts (e.g. loaded from storage), oldest first.
    public init(clock: LocalClock, days: [DailyActivity]) {
        self.clock = clock
        self.days = days.sorted { $0.day < $1.day }
    }

    /// Records that the person accessed `customerId` at `now`.
    public mutating func recordCustomerAccess(_ customerId: UUID, now: Date) {
        guard let index = dayIndex(for: now) else { return }
        if customersToday.insert(customerId).inserted { days[index].distinctCustomers += 1 }
        if clock.isOutsideWorkingHours(now), outOfHoursToday.insert(customerId).inserted {
            days[index].outOfHoursCustomers += 1
        }
    }

    /// Records an export at `now`.
    public mutating func recordExport(now: Date) {
        guard let index = dayIndex(for: now) else { return }
        days[index].exports += 1
    }

    /// Records a refused request at `now`.
    public mutating func recordRefusal(now: Date) {
        guard let index = dayIndex(for: now) else { return }
        days[index].refusals += 1
    }

    /// The activity of the local day containing `now` (zero if none).
    public func activity(on now: Date) -> DailyActivity {
        let day = clock.day(of: now)
        return days.last(where: { $0.day == day }) ?? DailyActivity(day: day)
    }

    /// Distinct-customer counts of the active days among the `window` days before `now`'s day.
    public func baseline(before now: Date, window: Int = 30) -> [Int] {
        let today = clock.day(of: now)
        return days.filter { $0.day < today && $0.day >= today - window && $0.distinctCustomers > 0 }
            .map(\.distinctCustomers)
    }

    private mutating func dayIndex(for now: Date) -> Int? {
        let day = clock.day(of: now)
        if let last = days.last {
            if last.day == day { return days.count - 1 }
            if last.day > day { return nil }
        }
        customersToday.removeAll(keepingCapacity: true)
        outOfHoursToday.removeAll(keepingCapacity: true)
        days.append(DailyActivity(day: day))
        days.removeAll { $0.day < day - Self.retainedDays }
        return days.count - 1
    }
}
