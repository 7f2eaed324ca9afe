import Foundation
import RapportProtocol
import Synchronization

/// What the admin API needs from the rest of the server, installed at start-up by whoever owns
/// it: the records store (for reassignment, canaries, access reports by customer and insights)
/// and the handlers to run after every organisation change (the access policy's
/// `PolicyService.invalidate()`).
///
/// Shared by every copy of ``ServerServices`` (a reference), so the sync wiring can install
/// its parts after the services were assembled:
///
/// ```swift
/// services.adminHooks.installRecords(SyncAdminRecordStore(sync: syncService))
/// services.adminHooks.onOrganisationChange { await policy.invalidate() }
/// ```
public final class AdminHooks: Sendable {
    private struct State {
        var records: (any AdminRecordStore)?
        var handlers: [@Sendable () async -> Void] = []
    }

    private let state = Mutex(State())
    /// Serialises the administrators' changes to the organisation in this process: each reads
    /// the organisation, judges the change and writes it (and the pending-change list) as one
    /// turn, so two administrators acting at once cannot lose or double-apply a change.
    let changeTurns = LoginGate()

    /// Creates hooks with nothing installed.
    public init() {}

    /// Installs the customer-record store the admin API reads and writes through.
    public func installRecords(_ records: any AdminRecordStore) {
        state.withLock { $0.records = records }
    }

    /// Adds a handler run after every organisation change (staff, team, role, grant, device).
    public func onOrganisationChange(_ handler: @escaping @Sendable () async -> Void) {
        state.withLock { $0.handlers.append(handler) }
    }

    /// The installed record store, or `nil`.
    public var records: (any AdminRecordStore)? { state.withLock { $0.records } }

    /// The record store.
    ///
    /// - Throws: ``ServerError/Code/unavailable`` when the sync side has not installed one.
    func requireRecords() throws(ServerError) -> any AdminRecordStore {
        guard let records else {
            throw ServerError(
                .unavailable,
                "customer records are not available on this server yet (no sync storage is installed); upgrade the server")
        }
        return records
    }

    /// The single place the admin API reports an organisation change: runs every handler
    /// (the policy service's `invalidate()`), so the next request sees the change.
    func organisationChanged() async {
        let handlers = state.withLock { $0.handlers }
        for handler in handlers { await handler() }
    }
}
