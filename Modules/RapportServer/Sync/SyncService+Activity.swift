import Foundation
import RapportAccess
import RapportModels
import RapportSync

/// Detection hooks of the sync service (see ``ActivityMonitor``): what a pull page or a push
/// answer delivers is audited as one `recordsSent` entry and fed to the anomaly rules; push
/// mutations refused as `forbidden` (answered inside a `200`) count as refusals.
extension SyncService {
    /// Audits and reports the records `keys` sent to `principal` by `path` (`pull` or `push`):
    /// one `recordsSent` entry whose record ids are the distinct customers and whose reason
    /// counts records per kind (`"pull customer=12 contact=3"`), then the customers reached.
    ///
    /// - Parameter customers: the customers of `keys` when the caller already knows them.
    func reportDelivery(
        _ keys: [RecordKey], customers known: [UUID]? = nil, path: String, principal: SyncPrincipal, now: Date
    ) async throws {
        guard !keys.isEmpty else { return }
        let customers: [UUID]
        if let known {
            customers = known
        } else {
            customers = Array(Set(try await storage.customerIds(of: keys).values))
        }
        var counts: [String: Int] = [:]
        for key in keys { counts[key.kind.rawValue, default: 0] += 1 }
        let reason = ([path] + counts.keys.sorted().map { "\($0)=\(counts[$0]!)" }).joined(separator: " ")
        try await audit?.record(
            .recordsSent, actor: principal.staffId, device: principal.deviceId,
            records: customers.sorted { $0.uuidString < $1.uuidString }, reason: reason)
        if !customers.isEmpty {
            try await activity?.customersReached(customers, by: principal.staffId, now: now)
        }
    }

    /// Audits (`accessDenied`, reason `"push forbidden=<n>"`) and reports as refusals the
    /// mutations of `request` that `response` refused as `forbidden` (replays excluded).
    func reportRefusals(_ response: PushResponse, of request: PushRequest, principal: SyncPrincipal, now: Date)
        async throws
    {
        let refused = response.results.indices.filter {
            response.results[$0].replayed != true && response.results[$0].rejection?.code == .forbidden
        }
        guard !refused.isEmpty else { return }
        let ids = Set(refused.map { request.mutations[$0].recordId }).sorted { $0.uuidString < $1.uuidString }
        try await audit?.record(
            .accessDenied, actor: principal.staffId, device: principal.deviceId, records: ids, allowed: false,
            reason: "push forbidden=\(refused.count)")
        try await activity?.refused(principal.staffId, count: refused.count, now: now)
    }
}
