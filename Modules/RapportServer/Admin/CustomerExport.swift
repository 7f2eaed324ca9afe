import Foundation

/// A request to export the customer base, as stored (in the `customerExports` setting) and as
/// the admin API shows it.
///
/// Its life: `pending` (requested, waiting for a second administrator) → `approved` (the
/// requester may download it once before ``expiresAt``) → `downloaded`; or `rejected`. An
/// approved export not downloaded in time shows as `expired`.
struct CustomerExport: Codable, Sendable {
    var id: UUID
    /// The administrator who asked, and the only one who may download it.
    var requestedBy: UUID
    var requestedAt: Date
    /// Why, for the approver and the audit log.
    var reason: String
    /// Customers the requester could export when asking (the download counts again).
    var customers: Int
    /// `pending`, `approved`, `rejected`, `downloaded` or `expired`.
    var status: String
    var decidedBy: UUID?
    var decidedAt: Date?
    /// The end of the download window (set on approval).
    var expiresAt: Date?
    var downloadedAt: Date?
    /// Customers in the download.
    var downloadedCustomers: Int?

    /// The status as of `now`: an approved export past its window is `expired`.
    func status(at now: Date) -> String {
        if status == "approved", let expiresAt, now >= expiresAt { return "expired" }
        return status
    }

    /// This export with its status as of `now`, to show.
    func shown(at now: Date) -> CustomerExport {
        var copy = self
        copy.status = status(at: now)
        return copy
    }
}
