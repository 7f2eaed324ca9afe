import Foundation
import RapportAccess

/// What one event adds to a person's activity of one local day: customers reached (each counts
/// once a day), exports and refused requests.
public struct ActivityDelta: Sendable, Hashable {
    /// Customers whose records reached the person (a pull page, a push answer, a reveal).
    public var customers: [UUID]
    /// Whether the event happened outside working hours (its customers then also count as
    /// out-of-hours customers).
    public var outOfHours: Bool
    /// Exports made.
    public var exports: Int
    /// Requests (or mutations) refused by policy or quota.
    public var refusals: Int

    /// Creates a delta; everything defaults to nothing.
    public init(customers: [UUID] = [], outOfHours: Bool = false, exports: Int = 0, refusals: Int = 0) {
        self.customers = customers
        self.outOfHours = outOfHours
        self.exports = exports
        self.refusals = refusals
    }
}

/// Where each person's daily activity (the anomaly detector's input) is kept, so the 30-day
/// baseline survives restarts and several server instances count into the same days.
/// ``SQLiteServerStorage`` implements it.
public protocol ActivityStorage: Sendable {
    /// Adds `delta` to `staffId`'s day `day` in one unit of work (a customer already counted that
    /// day is not counted again), drops days older than ``ActivityHistory/retainedDays`` before
    /// it, and returns the person's retained days up to and including `day`, oldest first.
    func recordActivity(_ delta: ActivityDelta, staffId: UUID, day: Int) async throws -> [DailyActivity]

    /// The person's retained days up to and including `day`, oldest first.
    func activityDays(staffId: UUID, through day: Int) async throws -> [DailyActivity]
}
