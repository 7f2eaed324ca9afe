import Foundation
import RapportAccess

/// Keeps the anomaly detector's alerts: ``raise(_:now:)`` stores new ones (one per person, rule
/// and day) and audits each; administrators list, acknowledge and resolve them.
///
/// ```swift
/// let alerts = AnomalyDetector().evaluate(history, staffId: ana, status: .active, now: now)
/// try await AlertBook(storage: storage, audit: services.audit).raise(alerts, now: now)
/// ```
public struct AlertBook: Sendable {
    /// Where alerts are stored.
    public let storage: any AlertStorage
    /// The audit log (each new alert becomes an `alertRaised` entry).
    public let audit: AuditService

    /// Creates the book.
    public init(storage: any AlertStorage, audit: AuditService) {
        self.storage = storage
        self.audit = audit
    }

    /// The book over the server's storage (every ``ServerStorage`` keeps alerts).
    public init(services: ServerServices) {
        self.init(storage: services.storage, audit: services.audit)
    }

    /// Stores the alerts not seen before (by dedupe key) and audits them; returns the new ones.
    @discardableResult
    public func raise(_ alerts: [AccessAlert], now: Date) async throws -> [StoredAlert] {
        var raised: [StoredAlert] = []
        for alert in alerts {
            let stored = StoredAlert(alert: alert, raisedAt: now)
            if try await storage.insertAlert(stored) {
                try await audit.record(
                    .alertRaised, actor: nil, records: [alert.staffId, stored.id],
                    reason: "\(alert.rule.rawValue) \(alert.severity): \(alert.message)")
                raised.append(stored)
            }
        }
        return raised
    }
}
