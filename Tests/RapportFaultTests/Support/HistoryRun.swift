import Foundation
import Logging
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import RapportTesting

/// A device of a history, as the protocol describes a client (Docs/Protocol.md §10, without
/// coalescing: every edit is its own mutation): its shadow of the server's records, its outbox,
/// its cursor. Its local view of a record is the shadow with the pending edits over it.
final class HistoryDevice {
    let index: Int
    let staff: Int
    var deviceId: UUID
    var token = ""
    var shadow: [UUID: (version: Int64, fields: FieldMap)] = [:]
    var pending: [Mutation] = []
    var cursor: String?
    var wiped = false
    private var clock: (millis: Int64, counter: Int) = (0, 0)

    init(index: Int, staff: Int, deviceId: UUID) {
        self.index = index
        self.staff = staff
        self.deviceId = deviceId
    }

    var node: String { deviceId.uuidString.lowercased() }

    func view(_ id: UUID) -> FieldMap? {
        guard var fields = shadow[id]?.fields else { return nil }
        for mutation in pending where mutation.recordId == id { fields.merge(mutation.fields) { $1 } }
        return fields
    }

    /// The HLC rule for a local edit.
    func tick(wall: Int64) throws -> HLCTimestamp {
        clock = wall > clock.millis ? (wall, 0) : (clock.millis, clock.counter + 1)
        return try HLCTimestamp(physicalMillis: clock.millis, counter: clock.counter, node: node)
    }

    /// The HLC rule on receiving the server's clock.
    func observe(_ remote: HLCTimestamp, wall: Int64) {
        let millis = max(wall, clock.millis, remote.physicalMillis)
        if millis == clock.millis && millis == remote.physicalMillis {
            clock = (millis, max(clock.counter, remote.counter) + 1)
        } else if millis == clock.millis {
            clock = (millis, clock.counter + 1)
        } else if millis == remote.physicalMillis {
            clock = (millis, remote.counter + 1)
        } else {
            clock = (millis, 0)
        }
    }

    func purge(_ id: UUID) {
        shadow[id] = nil
        pending.removeAll { $0.recordId == id }
    }
}

/// Runs a ``HistoryProgram`` against a real server behind a ``FaultProxy`` and checks the whole
/// history against the protocol's guarantees. Sequential: one operation at a time, the server's
/// clock a `ManualWallClock` moved one second per operation, every id drawn from the seed — so
/// a program runs the same way every time.
final class HistoryRun {
    struct Entry {
        var device: Int
        var mutation: Mutation
        /// When the server first received it: (server step, position in the batch).
        var order: (step: Int, position: Int)?
        /// Its first answer.
        var result: MutationResult?
    }

    let program: HistoryProgram
    private(set) var log: [String] = []
    private(set) var violations: [String] = []
    private var random: SeededRandom
    private let clock = ManualWallClock(startMillis: 1_790_000_000_000)
    private var server: LiveServer!
    private var directories: [LiveServer] = []
    private var proxy: FaultProxy!
    private var adminToken = ""
    private var staff: [Staff] = []
    private var devices: [HistoryDevice] = []
    private var customers: [UUID] = []
    private var owner: [UUID: Int] = [:]
    /// Owner changes by server step, to judge a write by the scope it met.
    private var ownerHistory: [(step: Int, record: UUID, owner: Int)] = []
    private var setupOwner: [UUID: Int] = [:]
    private var initial: [UUID: FieldMap] = [:]
    private var initialClock: [UUID: HLCTimestamp] = [:]
    private var entries: [UUID: Entry] = [:]
    private var step = 0
    /// Counts for the report.
    private(set) var stats: [String: Int] = [:]

    init(_ program: HistoryProgram) {
        self.program = program
        random = SeededRandom(seed: program.seed ^ 0x5EED)
    }

    private func uuid() -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for n in 0..<16 { bytes[n] = UInt8(truncatingIfNeeded: random.next()) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    private func violation(_ text: String) {
        violations.append(text)
        log.append("  !! \(text)")
    }

    private var wire: WireClient { WireClient(baseURL: proxy.baseURL, closeConnections: true) }
    private var direct: WireClient { WireClient(baseURL: server.baseURL) }

    // MARK: - Running

    /// Runs the program, then a final fault-free sync of every device, then the checks.
    func run() async throws {
        server = try await LiveServer.start(label: "rapport-history", logLevel: .critical, clock: clock)
        directories.append(server)
        proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        do {
            try await setUp()
            for (n, op) in program.ops.enumerated() {
                clock.advance(byMillis: 1_000)
                log.append("\(n). \(op)")
                try await perform(op)
            }
            log.append("final sync")
            proxy.queue([])
            for _ in 0..<3 {
                for device in devices where !device.wiped { try await sync(device, faults: []) }
            }
            try await check()
        } catch {
            await stopServer()
            throw error
        }
        await stopServer()
    }

    private func stopServer() async {
        await server.beginShutdown()
        try? await server.waitStopped()
        for used in directories { used.directory.remove() }
    }

    private func setUp() async throws {
        let team = Team(id: uuid(), name: "History team")
        for (n, login) in ["rep0", "rep1", "manager"].enumerated() {
            staff.append(try await server.addStaff(login: login, roles: n == 2 ? [.manager] : [.salesRep], team: team))
        }
        adminToken = try await direct.login(server.admin.loginName, password: server.admin.password).token
        // Each rep creates their customers, not through the proxy.
        for rep in 0...1 {
            let setup = try await direct.login("rep\(rep)", password: "correct horse battery", device: uuid())
            var mutations: [Mutation] = []
            for n in 0..<program.cast.customersPerRep {
                let id = uuid()
                let customer = Customer(
                    id: id, kind: .individual, name: "Customer \(rep)-\(n)", sourceChannel: .website,
                    ownerId: staff[rep].id,
                    teamId: team.id, createdAt: Date(timeIntervalSince1970: 1_790_000_000),
                    individual: IndividualProfile(
                        occupation: "occupation \(rep)-\(n)", employer: "employer \(rep)-\(n)"))
                let hlc = try HLCTimestamp(
                    physicalMillis: clock.nowMillis(), counter: n, node: setup.device.uuidString.lowercased())
                let fields = try customer.fieldMap().filter { !$0.value.isNull }
                mutations.append(
                    Mutation(
                        clientMutationId: uuid(), entity: .customer, recordId: id, op: .create, baseVersion: 0,
                        fields: fields, hlc: hlc))
                initial[id] = fields
                initialClock[id] = hlc
                owner[id] = rep
                customers.append(id)
            }
            let (reply, response) = try await direct.push(mutations, token: setup.token)
            guard let response, response.results.allSatisfy({ $0.status == .applied }) else {
                throw WireFailure("setting up the customers failed: \(reply.status) \(reply.text)")
            }
        }
        customers.sort { $0.uuidString < $1.uuidString }
        setupOwner = owner
        for (n, person) in program.cast.deviceStaff.enumerated() {
            let device = HistoryDevice(index: n, staff: person, deviceId: uuid())
            device.token = try await direct.login(
                ["rep0", "rep1", "manager"][person], password: "correct horse battery", device: device.deviceId
            ).token
            devices.append(device)
        }
    }

    private func perform(_ op: HistoryOp) async throws {
        switch op {
        case .edit(let index, let slot, let field, let value):
            let device = devices[index]
            guard !device.wiped else { return log.append("  (wiped: no edit)") }
            let held = device.shadow.keys.sorted { $0.uuidString < $1.uuidString }
            guard !held.isEmpty else { return log.append("  (holds nothing: no edit)") }
            let id = held[slot % held.count]
            let base = device.view(id)?[field] ?? .null
            let mutation = Mutation(
                clientMutationId: uuid(), entity: .customer, recordId: id, op: .update,
                baseVersion: device.shadow[id]!.version,
                fields: [field: .string(value)], base: [field: base], hlc: try device.tick(wall: clock.nowMillis()))
            device.pending.append(mutation)
            entries[mutation.clientMutationId] = Entry(device: index, mutation: mutation)
            log.append(
                "  \(short(mutation.clientMutationId)) on \(short(id)) base \(base) v\(mutation.baseVersion) hlc \(mutation.hlc)"
            )
            stats["edits", default: 0] += 1
        case .sync(let index, let faults):
            guard !devices[index].wiped else { return log.append("  (wiped: no sync)") }
            try await sync(devices[index], faults: faults)
        case .restart:
            let previous = server!
            await previous.beginShutdown()
            try await previous.waitStopped()
            server = try await LiveServer.start(
                label: "rapport-history", logLevel: .critical,
                configure: { $0.dataDirectory = previous.services.configuration.dataDirectory }, clock: clock,
                admin: previous.admin)
            directories.append(server)
            proxy.setUpstream(port: server.port)
            stats["restarts", default: 0] += 1
        case .reassign(let slot, let rep):
            let id = customers[slot % customers.count]
            guard owner[id] != rep else { return log.append("  (already rep \(rep)'s)") }
            let body = try JSONSerialization.data(withJSONObject: ["toStaff": staff[rep].id.uuidString])
            let reply = try await direct.send(
                .POST, "/v1/admin/customers/\(id)/reassign", body: body, token: adminToken)
            guard reply.status == 200 else { throw WireFailure("reassign failed: \(reply.status) \(reply.text)") }
            step += 1
            owner[id] = rep
            ownerHistory.append((step, id, rep))
            log.append("  \(short(id)) now rep \(rep)'s")
            stats["reassignments", default: 0] += 1
        case .revoke(let index):
            let reply = try await direct.send(
                .POST, "/v1/admin/devices/\(devices[index].deviceId)/revoke", token: adminToken)
            guard reply.status == 200 else { throw WireFailure("revoke failed: \(reply.status) \(reply.text)") }
            step += 1
            stats["revocations", default: 0] += 1
        }
    }

    private func short(_ id: UUID) -> String { String(id.uuidString.prefix(6)) }

    private func inScope(_ device: HistoryDevice, _ id: UUID) -> Bool {
        device.staff == 2 || owner[id] == device.staff
    }

    private func wipe(_ device: HistoryDevice) {
        device.wiped = true
        device.shadow = [:]
        device.pending = []
        device.cursor = nil
        log.append("  d\(device.index) told to wipe: store shredded")
        stats["wipes", default: 0] += 1
    }

    private func noteReach(_ batch: [Mutation]) {
        let passages = proxy.takePassages()
        guard passages.contains(where: \.reachedServer) else { return }
        step += 1
        for (position, mutation) in batch.enumerated() where entries[mutation.clientMutationId]?.order == nil {
            entries[mutation.clientMutationId]?.order = (step, position)
        }
    }

    func sync(_ device: HistoryDevice, faults: [FaultProxy.Fault]) async throws {
        proxy.queue(faults)
        defer { proxy.queue([]) }
        if !device.pending.isEmpty {
            let batch = Array(device.pending.prefix(200))
            let outcome: (WireClient.Reply, PushResponse?)
            do {
                outcome = try await wire.push(batch, token: device.token)
            } catch {
                noteReach(batch)
                stats["push faults", default: 0] += 1
                return log.append("  push of \(batch.count) failed: \(type(of: error))")
            }
            noteReach(batch)
            let (reply, response) = outcome
            if reply.errorCode == "wipeRequired" { return wipe(device) }
            guard let response else { throw WireFailure("push answered \(reply.status): \(reply.text)") }
            device.observe(response.serverHlc, wall: clock.nowMillis())
            acknowledge(device, response, batch: batch)
        }
        for _ in 0..<200 {
            let outcome: (WireClient.Reply, PullResponse?)
            do {
                outcome = try await wire.pull(cursor: device.cursor, limit: 2, token: device.token)
            } catch {
                _ = proxy.takePassages()
                stats["pull faults", default: 0] += 1
                return log.append("  pull failed: \(type(of: error))")
            }
            _ = proxy.takePassages()
            let (reply, page) = outcome
            if reply.errorCode == "wipeRequired" { return wipe(device) }
            guard let page else { throw WireFailure("pull answered \(reply.status): \(reply.text)") }
            device.observe(page.serverHlc, wall: clock.nowMillis())
            // A partial change of a record the device does not hold (it purged it on a push answer
            // without a record, while the server still counts it as held): reset, as the Swift
            // engine does (Docs/Protocol.md §5), and pull from scratch.
            if let missing = page.changes.first(where: { $0.kind == .partial && device.shadow[$0.recordId] == nil }) {
                log.append("  d\(device.index) lacks the base of \(short(missing.recordId)): reset")
                stats["resets", default: 0] += 1
                let keep = Set(device.pending.map(\.recordId))
                device.shadow = device.shadow.filter { keep.contains($0.key) }
                device.cursor = nil
                continue
            }
            for change in page.changes where change.entity == .customer {
                switch change.kind {
                case .full:
                    deliver(device, change.recordId, "pull")
                    if let held = device.shadow[change.recordId], held.version > change.version { continue }
                    device.shadow[change.recordId] = (change.version, change.fields)
                case .partial:
                    deliver(device, change.recordId, "pull")
                    guard var held = device.shadow[change.recordId], change.version > held.version else { continue }
                    held.fields.merge(change.fields) { $1 }
                    held.version = change.version
                    device.shadow[change.recordId] = held
                case .deleted:
                    device.purge(change.recordId)
                }
            }
            for eviction in page.evictions {
                device.purge(eviction.recordId)
                log.append("  d\(device.index) evicts \(short(eviction.recordId)) (\(eviction.reason))")
            }
            device.cursor = page.cursor
            if !page.hasMore { return }
        }
        violation("d\(device.index): the pull did not end within 200 pages")
    }

    private func deliver(_ device: HistoryDevice, _ id: UUID, _ how: String) {
        if !inScope(device, id) {
            violation(
                "d\(device.index) (staff \(device.staff)) was delivered \(short(id)) by a \(how), which is rep \(owner[id] ?? -1)'s"
            )
        }
    }

    private func acknowledge(_ device: HistoryDevice, _ response: PushResponse, batch: [Mutation]) {
        for result in response.results {
            guard var entry = entries[result.clientMutationId] else { continue }
            let mutation = entry.mutation
            if let first = entry.result {
                if result.replayed != true || first.status != result.status || first.version != result.version {
                    violation(
                        "\(short(mutation.clientMutationId)) answered again differently: first \(first.status) v\(first.version ?? -1), then \(result.status) v\(result.version ?? -1) replayed \(result.replayed ?? false)"
                    )
                }
            } else {
                entry.result = result
                entries[result.clientMutationId] = entry
                stats[result.replayed == true ? "answers replayed" : "answers", default: 0] += 1
                // Every edit is either in the record the answer carries, or reported lost. (The
                // record is read after the whole batch: skip edits a later one in it overwrote.)
                let position = batch.firstIndex { $0.clientMutationId == result.clientMutationId } ?? batch.count
                let overwritten = batch[min(position + 1, batch.count)...].contains { $0.recordId == mutation.recordId }
                if result.replayed != true, !overwritten, result.status != .rejected, let record = result.record,
                    !record.deleted
                {
                    for (field, yours) in mutation.fields where record.fields[field] != yours {
                        let reported = result.conflicts?.contains { $0.field == field && $0.winner == .theirs } ?? false
                        if !reported {
                            violation(
                                "\(short(mutation.clientMutationId)) by d\(device.index): \(field) = \(yours) acknowledged \(result.status) but the record says \(record.fields[field] ?? .null) and no conflict was reported"
                            )
                        }
                    }
                }
            }
            let conflicts = (result.conflicts ?? []).map { "\($0.field) winner \($0.winner)" }
            log.append(
                "  \(short(mutation.clientMutationId)) → \(result.status)\(result.replayed == true ? " (replayed)" : "") v\(result.version ?? -1)"
                    + (conflicts.isEmpty ? "" : " conflicts \(conflicts)")
                    + (result.rejection.map { " \($0.code)" } ?? ""))
            device.pending.removeAll { $0.clientMutationId == result.clientMutationId }
            if let record = result.record {
                deliver(device, record.id, "push answer")
                if record.deleted {
                    device.purge(record.id)
                } else if (device.shadow[record.id]?.version ?? -1) <= record.version {
                    device.shadow[record.id] = (record.version, record.fields)
                }
            } else {
                device.purge(mutation.recordId)
            }
        }
    }

    // MARK: - Checking

    private func ownerAt(_ id: UUID, step: Int) -> Int {
        var current = setupOwner[id] ?? -1
        for change in ownerHistory where change.record == id && change.step <= step { current = change.owner }
        return current
    }

    /// Folds every mutation the server received, in the order it received them, through the
    /// merge rule of Docs/Protocol.md §4, and compares with what the server said and holds.
    private func check() async throws {
        struct ModelField { var value: JSONValue; var clock: HLCTimestamp; var version: Int64 }
        var state: [String: ModelField] = [:]
        func key(_ id: UUID, _ field: String) -> String { "\(id.uuidString)/\(field)" }
        for (id, fields) in initial {
            for field in HistoryCast.fields {
                state[key(id, field)] = ModelField(value: fields[field] ?? .null, clock: initialClock[id]!, version: 1)
            }
        }
        var uncertain: Set<String> = []
        var reachedValues: [String: Set<JSONValue>] = [:]
        let received = entries.values.filter { $0.order != nil }.sorted {
            ($0.order!.step, $0.order!.position) < ($1.order!.step, $1.order!.position)
        }
        stats["mutations received"] = received.count
        for entry in received {
            let mutation = entry.mutation
            for (field, value) in mutation.fields {
                reachedValues[key(mutation.recordId, field), default: []].insert(value)
            }
            guard let result = entry.result else {
                // Received, never answered to the device (it was wiped, or the record evicted):
                // its effect is unknown, so its fields are only checked loosely from here on.
                for field in mutation.fields.keys { uncertain.insert(key(mutation.recordId, field)) }
                stats["received, never answered", default: 0] += 1
                continue
            }
            let device = devices[entry.device]
            let allowed = device.staff == 2 || ownerAt(mutation.recordId, step: entry.order!.step) == device.staff
            if result.status == .rejected {
                if allowed {
                    violation(
                        "\(short(mutation.clientMutationId)) by d\(entry.device) was refused although in scope: \(String(describing: result.rejection))"
                    )
                }
                continue
            }
            if !allowed {
                violation(
                    "\(short(mutation.clientMutationId)) by d\(entry.device) was accepted although \(short(mutation.recordId)) was out of its scope"
                )
            }
            for (field, yours) in mutation.fields {
                let k = key(mutation.recordId, field)
                guard !uncertain.contains(k), let current = state[k] else { continue }
                let base = mutation.base?[field]
                let concurrent = current.version > mutation.baseVersion && (base == nil || base != current.value)
                var expected: FieldConflict.Winner?
                var value = yours
                if concurrent && yours != current.value {
                    let yoursWins = mutation.hlc > current.clock
                    expected = yoursWins ? .yours : .theirs
                    value = yoursWins ? yours : current.value
                }
                let reported = result.conflicts?.first { $0.field == field }?.winner
                if reported != expected {
                    violation(
                        "\(short(mutation.clientMutationId)) by d\(entry.device) on \(short(mutation.recordId)).\(field): the merge rule gives "
                            + "\(expected.map { "a conflict won by \($0)" } ?? "no conflict") (base \(base ?? .null), theirs \(current.value), yours \(yours)), the server reported \(reported.map { "a conflict won by \($0)" } ?? "none")"
                    )
                }
                if value != current.value {
                    state[k] = ModelField(
                        value: value, clock: max(current.clock, mutation.hlc),
                        version: result.version ?? current.version)
                }
                if expected == .theirs { stats["edits lost and reported", default: 0] += 1 }
                if expected == .yours { stats["concurrent edits won", default: 0] += 1 }
            }
        }
        // The server's final state is what the history explains.
        guard let records = server.services.adminHooks.records else { throw WireFailure("no admin record store") }
        let stored = Dictionary(
            uniqueKeysWithValues: try await records.liveRecords(of: [.customer]).map { ($0.key.id, $0) })
        for id in customers {
            guard let record = stored[id] else {
                violation("customer \(short(id)) is gone from the server")
                continue
            }
            for field in HistoryCast.fields {
                let k = key(id, field)
                let final = record.fields[field] ?? .null
                if uncertain.contains(k) {
                    let explained = (reachedValues[k] ?? []).union([initial[id]?[field] ?? .null])
                    if !explained.contains(final) {
                        violation("\(short(id)).\(field) = \(final) on the server, which no edit wrote")
                    }
                } else if let expected = state[k]?.value, expected != final {
                    violation(
                        "acknowledged edit lost: \(short(id)).\(field) = \(final) on the server, the history says \(expected)"
                    )
                }
            }
        }
        // Every device ends with exactly its scope of the server's state.
        for device in devices where !device.wiped {
            if !device.pending.isEmpty {
                violation("d\(device.index) still has \(device.pending.count) unanswered edits after the final sync")
            }
            let scope = Set(customers.filter { inScope(device, $0) })
            let held = Set(device.shadow.keys)
            if held != scope {
                violation(
                    "d\(device.index) holds \(held.map(short).sorted()) but its scope is \(scope.map(short).sorted())")
            }
            for id in held.intersection(scope) {
                guard let record = stored[id], let mine = device.shadow[id] else { continue }
                if mine.version != record.version {
                    violation(
                        "d\(device.index) holds \(short(id)) at v\(mine.version), the server at v\(record.version)")
                }
                for field in HistoryCast.fields where (mine.fields[field] ?? .null) != (record.fields[field] ?? .null) {
                    violation(
                        "d\(device.index) holds \(short(id)).\(field) = \(mine.fields[field] ?? .null), the server \(record.fields[field] ?? .null)"
                    )
                }
            }
        }
        stats["uncertain fields"] = uncertain.count
    }
}

/// Runs `program`; on violations, shrinks it (whole devices, then runs of operations, while it
/// still fails) and returns the minimal failing run.
func shrinkHistory(_ program: HistoryProgram) async throws -> HistoryRun {
    func failing(_ candidate: HistoryProgram) async -> HistoryRun? {
        let run = HistoryRun(candidate)
        do { try await run.run() } catch { return nil }
        return run.violations.isEmpty ? nil : run
    }
    var current = program
    var best = HistoryRun(program)
    try await best.run()
    for device in program.cast.deviceStaff.indices.reversed() {
        var candidate = current
        candidate.ops.removeAll { $0.device == device }
        if let run = await failing(candidate) { current = candidate; best = run }
    }
    var chunk = max(1, current.ops.count / 2)
    while chunk >= 1 {
        var start = 0
        while start < current.ops.count {
            var candidate = current
            candidate.ops.removeSubrange(start..<min(start + chunk, current.ops.count))
            if let run = await failing(candidate) { current = candidate; best = run } else { start += chunk }
        }
        if chunk == 1 { break }
        chunk /= 2
    }
    return best
}
