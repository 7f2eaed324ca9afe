import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportSyncServer

/// Detection hooks of the sync service (see ``ActivityMonitor``): push mutations refused as
/// `forbidden` (answered inside a `200`) count as refusals. What a pull page or a push answer
/// delivers is audited and fed to the anomaly rules where it is admitted,
/// ``AccessScopeProvider/admit(_:via:principal:)``.
extension SyncService {
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
