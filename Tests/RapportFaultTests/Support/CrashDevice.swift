import Foundation
import RapportModels
import RapportProtocol

/// What is in flight at any moment, so the kill scheduler can aim at a push, a pull or a backup.
final class InFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func begin(_ what: String) { lock.withLock { counts[what, default: 0] += 1 } }
    func end(_ what: String) { lock.withLock { counts[what, default: 0] -= 1 } }
    func count(_ what: String) -> Int { lock.withLock { counts[what] ?? 0 } }
}

/// A flag set once by the scheduler.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    var isSet: Bool { lock.withLock { set } }
    func raise() { lock.withLock { set = true } }
}

/// One simulated device of the crash test, speaking the protocol over plain HTTP. It keeps its
/// own ledger: every mutation it made, and the first answer the server gave for each. A push
/// that got no answer (the server died) is sent again, unchanged, until it is answered.
final class CrashDevice: @unchecked Sendable {
    struct Ledger: Sendable {
        /// Every mutation made, by id.
        var mutations: [UUID: Mutation] = [:]
        /// The first answer received for each mutation.
        var acknowledged: [UUID: MutationResult] = [:]
        /// Mutations first answered on a retry with `replayed: true`: their first push committed,
        /// then the server died before the answer left (a kill inside the commit-to-answer window).
        var committedThenKilled = 0
        /// Mutations first answered on a retry without `replayed`: the kill came before the commit.
        var killedBeforeCommit = 0
        /// Pushes sent again after a failure.
        var retriedPushes = 0
        /// Pulls that failed (the server died mid-pull) and were started again.
        var failedPulls = 0
    }

    let index: Int
    let wire: WireClient
    let token: String
    let deviceId: UUID
    let staffId: UUID
    let teamId: UUID
    private(set) var customers: [UUID: (version: Int64, points: Int64)] = [:]
    private var cursor: String?
    private var lastHLC: (millis: Int64, counter: Int) = (0, 0)
    private(set) var ledger = Ledger()
    private var random: SeededRandom

    init(index: Int, wire: WireClient, token: String, deviceId: UUID, staffId: UUID, teamId: UUID, seed: UInt64) {
        self.index = index
        self.wire = wire
        self.token = token
        self.deviceId = deviceId
        self.staffId = staffId
        self.teamId = teamId
        random = SeededRandom(seed: seed)
    }

    private func hlc() throws -> HLCTimestamp {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        lastHLC = now > lastHLC.millis ? (now, 0) : (lastHLC.millis, lastHLC.counter + 1)
        return try HLCTimestamp(
            physicalMillis: lastHLC.millis, counter: lastHLC.counter, node: deviceId.uuidString.lowercased())
    }

    /// Creates `count` customers of its own, then pushes batches of loyalty-point increments
    /// (+1 each, a counter, so a mutation applied twice or lost shows in the total) and pulls,
    /// until `stop` is raised; then finishes its unanswered push and pulls to the end.
    func run(creates count: Int, maxBatch: Int, stop: StopFlag, inFlight: InFlight) async throws {
        var pending: [Mutation]? = try (0..<count).map { n in
            let customer = Customer(
                kind: .individual, name: "Crash \(index)-\(n)", sourceChannel: .website, ownerId: staffId,
                teamId: teamId,
                createdAt: Date(), individual: IndividualProfile(phones: ["13800000000"]))
            return Mutation(
                clientMutationId: UUID(), entity: .customer, recordId: customer.id, op: .create, baseVersion: 0,
                fields: try customer.fieldMap().filter { !$0.value.isNull }, hlc: try hlc())
        }
        var attempts = 0
        while true {
            if pending == nil {
                if stop.isSet { break }
                pending = try makeBatch(maxBatch: maxBatch)
            }
            guard let batch = pending, !batch.isEmpty else {
                pending = nil
                _ = await pullAll(inFlight: inFlight)
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            for mutation in batch { ledger.mutations[mutation.clientMutationId] = mutation }
            inFlight.begin("push")
            let outcome = try? await wire.push(batch, token: token)
            inFlight.end("push")
            guard let response = outcome?.1 else {
                attempts += 1
                ledger.retriedPushes += 1
                if let reply = outcome?.0, reply.status < 500 {
                    throw WireFailure("device \(index): push refused \(reply.status): \(reply.text)")
                }
                try await Task.sleep(for: .milliseconds(10))
                continue
            }
            record(response, retried: attempts > 0)
            pending = nil
            attempts = 0
            _ = await pullAll(inFlight: inFlight)
        }
        while await !pullAll(inFlight: inFlight) { try await Task.sleep(for: .milliseconds(20)) }
    }

    private func makeBatch(maxBatch: Int) throws -> [Mutation] {
        let ids = customers.keys.sorted { $0.uuidString < $1.uuidString }
        guard !ids.isEmpty else { return [] }
        let size = Int.random(in: 1...maxBatch, using: &random)
        return try (0..<size).map { _ in
            let id = ids[Int.random(in: 0..<ids.count, using: &random)]
            let local = customers[id]!
            return Mutation(
                clientMutationId: UUID(), entity: .customer, recordId: id, op: .update, baseVersion: local.version,
                fields: ["loyaltyPoints": .int(local.points + 1)], base: ["loyaltyPoints": .int(local.points)],
                hlc: try hlc())
        }
    }

    private func record(_ response: PushResponse, retried: Bool) {
        for result in response.results where ledger.acknowledged[result.clientMutationId] == nil {
            ledger.acknowledged[result.clientMutationId] = result
            if retried {
                if result.replayed == true { ledger.committedThenKilled += 1 } else { ledger.killedBeforeCommit += 1 }
            }
            if let record = result.record, record.entity == .customer, !record.deleted {
                apply(id: record.id, version: record.version, fields: record.fields, full: true)
            }
        }
    }

    private func apply(id: UUID, version: Int64, fields: FieldMap, full: Bool) {
        if let local = customers[id], local.version >= version { return }
        guard full || customers[id] != nil else { return }
        let points = fields["loyaltyPoints"]?.intValue ?? customers[id]?.points ?? 0
        customers[id] = (version, points)
    }

    /// Pulls until `hasMore` is false. Returns false when a page failed (the server died).
    func pullAll(inFlight: InFlight) async -> Bool {
        for _ in 0..<1_000 {
            inFlight.begin("pull")
            let outcome = try? await wire.pull(cursor: cursor, limit: 200, token: token)
            inFlight.end("pull")
            guard let page = outcome?.1 else {
                ledger.failedPulls += 1
                return false
            }
            for change in page.changes where change.entity == .customer {
                switch change.kind {
                case .full: apply(id: change.recordId, version: change.version, fields: change.fields, full: true)
                case .partial: apply(id: change.recordId, version: change.version, fields: change.fields, full: false)
                case .deleted: customers[change.recordId] = nil
                }
            }
            for eviction in page.evictions { customers[eviction.recordId] = nil }
            cursor = page.cursor
            if !page.hasMore { return true }
        }
        return false
    }
}
