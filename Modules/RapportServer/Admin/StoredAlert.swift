import Foundation
import RapportAccess

/// An anomaly alert as the server keeps it: the detector's ``AccessAlert`` plus its handling
/// (`open` → `acknowledged` → `resolved`).
public struct StoredAlert: Codable, Sendable, Hashable {
    /// Stable id.
    public var id: UUID
    /// Same key for the same person, rule and day (a repeat updates nothing).
    public var dedupeKey: String
    /// What the detector found.
    public var alert: AccessAlert
    /// Human summary (counts and thresholds, never customer data).
    public var message: String
    /// `open`, `acknowledged` or `resolved`.
    public var status: String
    /// When it was raised.
    public var raisedAt: Date
    /// Who acknowledged it, and when.
    public var acknowledgedBy: UUID?
    /// When it was acknowledged.
    public var acknowledgedAt: Date?
    /// Who resolved it.
    public var resolvedBy: UUID?
    /// When it was resolved.
    public var resolvedAt: Date?
    /// The administrator's note.
    public var note: String?

    /// A new, open alert.
    public init(alert: AccessAlert, raisedAt: Date, id: UUID = UUID()) {
        self.id = id
        self.dedupeKey = alert.dedupeKey
        self.alert = alert
        self.message = alert.message
        self.status = "open"
        self.raisedAt = raisedAt
    }
}

/// Where alerts are stored (``SQLiteServerStorage`` implements it).
public protocol AlertStorage: Sendable {
    /// Inserts the alert unless one with its dedupe key exists; returns whether it was new.
    func insertAlert(_ alert: StoredAlert) async throws -> Bool
    /// Replaces a stored alert (acknowledgement, resolution).
    func updateAlert(_ alert: StoredAlert) async throws
    /// The alert, or `nil`.
    func alert(id: UUID) async throws -> StoredAlert?
    /// Alerts, newest first, optionally only of one status and/or person.
    func alerts(status: String?, staffId: UUID?, limit: Int) async throws -> [StoredAlert]
}
