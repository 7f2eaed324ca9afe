import ArgumentParser
import AsyncHTTPClient
import Foundation
import Histogram
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import RapportModels
import RapportProtocol

/// `rapport-load`: N simulated devices against a running server on loopback. Each signs in with
/// its own device id, pulls everything in its scope (all pages), then loops: push a small batch
/// of customer updates (and a few creates), pull the delta. Bounded by `--duration` and
/// `--rounds`; prints throughput, latency percentiles per operation kind (HDR histograms: p50,
/// p90, p99, p99.9, max) and errors by code. See Docs/Performance.md.
@main
struct RapportLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport-load",
        abstract: "Drive simulated sync devices against a running Rapport server on loopback.",
        version: RapportVersion.line(for: "rapport-load"))

    @Option(help: "Base URL of the server; must be loopback (127.0.0.1, ::1 or localhost).")
    var server = "http://127.0.0.1:8080"
    @Option(help: "Simulated devices (1-1000).")
    var devices = 50
    @Option(help: "Seconds of steady-state push/pull after the initial sync (1-3600).")
    var duration = 20.0
    @Option(help: "Most push/pull rounds per device in steady state (default: unbounded within --duration).")
    var rounds: Int?
    @Option(name: .customLong("login"), help: "name:password, repeatable; devices take them round robin. Default: the demo sales reps.")
    var logins: [String] = []
    @Option(help: "Mutations per push (1-200).")
    var batch = 5
    @Option(help: "Most customers each device creates (one every 5th round); creates count against the daily quota.")
    var creates = 2
    @Option(help: "Pull page size (1-500).")
    var pageSize = 500
    @Option(help: "Concurrent sign-ins (scrypt is deliberately slow).")
    var loginConcurrency = 4
    @Option(help: "Seconds allowed for sign-in plus initial sync before giving up.")
    var setupTimeout = 300.0
    @Option(help: "Seconds one request may take before it counts as a transport error (1-3600; raise it under a profiler).")
    var requestTimeout = 60
    @Flag(help: "Ask for gzip-compressed responses (Accept-Encoding: gzip), as the client library does.")
    var gzip = false
    @Option(help: "Soak: the server's pid; its RSS, descriptors and threads are sampled during steady state (Linux /proc).")
    var watchPid: Int32?
    @Option(help: "Soak: seconds between samples of --watch-pid.")
    var sampleEvery = 5.0

    static let demoLogins = ["ana.rep:demo-salesRep-2024", "tomas.rep:demo-salesRep-2024"]

    func validate() throws {
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https",
            let host = url.host, ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host)
        else { throw ValidationError("--server must be an http(s) URL on loopback (127.0.0.1, ::1, localhost)") }
        guard (1...1000).contains(devices) else { throw ValidationError("--devices must be 1-1000") }
        guard (1...3600).contains(duration) else { throw ValidationError("--duration must be 1-3600 seconds") }
        if let rounds, !(1...1_000_000).contains(rounds) { throw ValidationError("--rounds must be 1-1000000") }
        guard (1...200).contains(batch) else { throw ValidationError("--batch must be 1-200") }
        guard (0...100).contains(creates) else { throw ValidationError("--creates must be 0-100") }
        guard (1...500).contains(pageSize) else { throw ValidationError("--page-size must be 1-500") }
        guard (1...64).contains(loginConcurrency) else { throw ValidationError("--login-concurrency must be 1-64") }
        guard (1...3600).contains(setupTimeout) else { throw ValidationError("--setup-timeout must be 1-3600") }
        guard (1...3600).contains(requestTimeout) else { throw ValidationError("--request-timeout must be 1-3600") }
        guard (0.1...600).contains(sampleEvery) else { throw ValidationError("--sample-every must be 0.1-600 seconds") }
        if let watchPid, !FileManager.default.fileExists(atPath: "/proc/\(watchPid)/status") {
            throw ValidationError("--watch-pid \(watchPid): no such process in /proc (Linux only)")
        }
        for login in logins where !login.contains(":") { throw ValidationError("--login takes name:password, got '\(login)'") }
    }

    func run() async throws {
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let poolConfig = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: devices + 4)
        var config = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(Int64(requestTimeout))),
            connectionPool: poolConfig)
        config.httpVersion = .http1Only
        if gzip { config.decompression = .enabled(limit: .size(64 << 20)) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        let http = HTTP(client: client, base: base, gzip: gzip, timeoutSeconds: Int64(requestTimeout))
        let credentials = (logins.isEmpty ? Self.demoLogins : logins).map { login -> (String, String) in
            let parts = login.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), String(parts[1]))
        }
        let setupDeadline = ContinuousClock.now + .seconds(setupTimeout)

        // Phase 1: sign in, a few at a time.
        print("rapport-load: \(devices) devices against \(base), logins: \(Set(credentials.map(\.0)).sorted().joined(separator: ", "))")
        var tally = Tally()
        var signedIn: [SimDevice] = []
        let loginStart = ContinuousClock.now
        await withTaskGroup(of: (SimDevice?, Tally).self) { group in
            var next = 0
            func add() {
                let index = next
                let (name, password) = credentials[index % credentials.count]
                next += 1
                group.addTask { await SimDevice.signIn(http: http, index: index, name: name, password: password) }
            }
            while next < min(loginConcurrency, devices) { add() }
            for await (device, part) in group {
                tally.merge(part)
                if let device { signedIn.append(device) }
                if next < devices, ContinuousClock.now < setupDeadline { add() }
            }
        }
        let loginSeconds = (ContinuousClock.now - loginStart).seconds
        Self.progress("signed in \(signedIn.count) of \(devices) devices")

        // Phase 2: every device's initial full sync at once.
        let initialStart = ContinuousClock.now
        var synced: [SimDevice] = []
        await withTaskGroup(of: (SimDevice, Tally).self) { group in
            for device in signedIn {
                group.addTask { [pageSize] in
                    var device = device
                    var part = Tally()
                    await device.pullAll(http: http, pageSize: pageSize, tally: &part, initial: true, deadline: setupDeadline)
                    return (device, part)
                }
            }
            for await (device, part) in group {
                tally.merge(part)
                synced.append(device)
            }
        }
        let initialSeconds = (ContinuousClock.now - initialStart).seconds
        Self.progress("initial sync done")

        // Phase 3: steady state, push then pull, until the duration or the rounds run out.
        let steadyStart = ContinuousClock.now
        let deadline = steadyStart + .seconds(duration)
        let sampling = watchPid.map { pid in
            Task { [sampleEvery] in
                await ResourceSampler(pid: pid).run(every: .milliseconds(Int(sampleEvery * 1000)), until: deadline)
            }
        }
        await withTaskGroup(of: Tally.self) { group in
            for device in synced {
                group.addTask { [batch, creates, rounds, pageSize] in
                    var device = device
                    var part = Tally()
                    var round = 0
                    while ContinuousClock.now < deadline, round < (rounds ?? Int.max), !device.stopped {
                        await device.pushRound(http: http, round: round, batch: batch, maxCreates: creates, tally: &part)
                        await device.pullAll(http: http, pageSize: pageSize, tally: &part, initial: false, deadline: deadline)
                        round += 1
                    }
                    return part
                }
            }
            for await part in group { tally.merge(part) }
        }
        let steadySeconds = (ContinuousClock.now - steadyStart).seconds
        Self.progress("steady state done")
        tally.report(
            devices: devices, signedIn: signedIn.count, loginSeconds: loginSeconds, initialSeconds: initialSeconds,
            steadySeconds: steadySeconds)
        if let sampling, let watchPid { ResourceSampler.report(await sampling.value, pid: watchPid) }
        try await client.shutdown()
        if signedIn.isEmpty { throw ExitCode.failure }
    }
}

extension RapportLoad {
    /// A phase boundary on standard error (`rapport-load: phase: …`), for scripts that time or
    /// profile one phase (`Docs/Performance.md`, "Profile (issue 16)").
    static func progress(_ message: String) {
        FileHandle.standardError.write(Data("rapport-load: phase: \(message)\n".utf8))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A POST helper: JSON in, status and body out, latency measured around the whole exchange.
struct HTTP: Sendable {
    let client: HTTPClient
    let base: String
    let gzip: Bool
    let timeoutSeconds: Int64

    struct Reply: Sendable {
        var status: Int
        var body: Data
        var millis: Double
        var errorCode: String {
            struct Envelope: Decodable {
                struct Detail: Decodable { var code: String? }
                var error: Detail?
            }
            let code = (try? JSONDecoder().decode(Envelope.self, from: body))?.error?.code ?? "?"
            return "\(status) \(code)"
        }
    }

    func post(_ path: String, _ body: Data, token: String?) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        if gzip { request.headers.add(name: "Accept-Encoding", value: "gzip") }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: body))
        let start = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
        let collected = try await response.body.collect(upTo: 64 << 20)
        let millis = (ContinuousClock.now - start).seconds * 1000
        return Reply(status: Int(response.status.code), body: Data(collected.readableBytesView), millis: millis)
    }
}

/// What a device knows of one customer: enough to build counter and tag updates.
struct LocalCustomer: Sendable {
    var version: Int64
    var points: Int64
    var tags: [String]
}

/// One simulated device: its own device id and token, its cursor and its customers.
struct SimDevice: Sendable {
    let index: Int
    let deviceId: UUID
    let token: String
    let staffId: UUID
    let teamId: UUID
    var cursor: String?
    var customers: [UUID: LocalCustomer] = [:]
    var lastHLC: (millis: Int64, counter: Int) = (0, 0)
    var created = 0
    var pullsRefused = false
    var stopped = false

    struct LoginBody: Encodable {
        struct Device: Encodable { var id: UUID; var name: String; var platform: String }
        var loginName: String
        var password: String
        var device: Device
    }

    struct LoginReply: Decodable {
        struct Tokens: Decodable { var accessToken: String }
        struct Staff: Decodable { var id: UUID; var teamId: UUID }
        var tokens: Tokens
        var staff: Staff
        var deviceId: UUID
    }

    static func signIn(http: HTTP, index: Int, name: String, password: String) async -> (SimDevice?, Tally) {
        var tally = Tally()
        let deviceId = UUID()
        do {
            let body = try JSONEncoder().encode(
                LoginBody(
                    loginName: name, password: password,
                    device: .init(id: deviceId, name: "load device \(index)", platform: "cli")))
            let reply = try await http.post("/v1/auth/login", body, token: nil)
            tally.loginMs.record(reply.millis)
            guard reply.status == 200 else {
                tally.errors["login \(reply.errorCode)", default: 0] += 1
                return (nil, tally)
            }
            let login = try JSONDecoder().decode(LoginReply.self, from: reply.body)
            return (
                SimDevice(
                    index: index, deviceId: login.deviceId, token: login.tokens.accessToken, staffId: login.staff.id,
                    teamId: login.staff.teamId),
                tally
            )
        } catch {
            tally.errors["login transport \(type(of: error))", default: 0] += 1
            return (nil, tally)
        }
    }

    mutating func hlc() throws -> HLCTimestamp {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        lastHLC = now > lastHLC.millis ? (now, 0) : (lastHLC.millis, lastHLC.counter + 1)
        return try HLCTimestamp(physicalMillis: lastHLC.millis, counter: lastHLC.counter, node: deviceId.uuidString.lowercased())
    }

    mutating func observe(_ server: HLCTimestamp) {
        if server.physicalMillis > lastHLC.millis { lastHLC = (server.physicalMillis, server.counter) }
    }

    mutating func apply(_ fields: FieldMap, id: UUID, version: Int64, full: Bool) {
        if full {
            customers[id] = LocalCustomer(
                version: version, points: fields["loyaltyPoints"]?.intValue ?? 0,
                tags: fields["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            return
        }
        guard var local = customers[id], version > local.version else { return }
        local.version = version
        if let points = fields["loyaltyPoints"]?.intValue { local.points = points }
        if let tags = fields["tags"]?.arrayValue { local.tags = tags.compactMap(\.stringValue) }
        customers[id] = local
    }

    /// Pulls until `hasMore` is false (at most 200 pages), applying every page.
    mutating func pullAll(http: HTTP, pageSize: Int, tally: inout Tally, initial: Bool, deadline: ContinuousClock.Instant) async {
        if pullsRefused { return }
        for _ in 0..<200 where ContinuousClock.now < deadline || !initial {
            do {
                let body = try SyncWire.encode(PullRequest(cursor: cursor, limit: pageSize))
                let reply = try await http.post("/v1/sync/pull", body, token: token)
                if initial { tally.initialPullMs.record(reply.millis) } else { tally.pullMs.record(reply.millis) }
                guard reply.status == 200 else {
                    tally.errors["pull \(reply.errorCode)", default: 0] += 1
                    if reply.status == 429 { pullsRefused = true }  // Retry-After is local midnight: keep what we have.
                    if reply.status == 401 || reply.status == 403 { stopped = true }
                    return
                }
                let page = try SyncWire.decode(PullResponse.self, from: reply.body)
                observe(page.serverHlc)
                for change in page.changes where change.entity == .customer {
                    switch change.kind {
                    case .full: apply(change.fields, id: change.recordId, version: change.version, full: true)
                    case .partial: apply(change.fields, id: change.recordId, version: change.version, full: false)
                    case .deleted: customers[change.recordId] = nil
                    }
                }
                for eviction in page.evictions { customers[eviction.recordId] = nil }
                let count = page.changes.count + page.evictions.count
                if initial { tally.initialRecords += count; tally.initialPages += 1 } else { tally.steadyRecords += count; tally.steadyPulls += 1 }
                cursor = page.cursor
                if !page.hasMore {
                    if initial { tally.initialComplete += 1 }
                    return
                }
            } catch {
                tally.errors["pull transport \(type(of: error))", default: 0] += 1
                return
            }
        }
    }

    /// One push of `batch` mutations: counter and tag updates on distinct customers, and now and
    /// then a create.
    mutating func pushRound(http: HTTP, round: Int, batch: Int, maxCreates: Int, tally: inout Tally) async {
        do {
            var mutations: [Mutation] = []
            if created < maxCreates, round % 5 == 0 {
                created += 1
                let customer = Customer(
                    kind: .individual, name: "Load \(index)-\(created)", sourceChannel: .website, ownerId: staffId,
                    teamId: teamId, createdAt: Date(), individual: IndividualProfile(phones: ["13800000000"]))
                mutations.append(
                    Mutation(
                        clientMutationId: UUID(), entity: .customer, recordId: customer.id, op: .create, baseVersion: 0,
                        fields: try customer.fieldMap().filter { !$0.value.isNull }, hlc: try hlc()))
            }
            let ids = Array(customers.keys.shuffled().prefix(batch - mutations.count))
            for (n, id) in ids.enumerated() {
                guard let local = customers[id] else { continue }
                let fields: FieldMap
                let base: FieldMap
                if (round + n) % 3 == 2 {
                    let tag = "load\(index % 4)"
                    let tags = local.tags.contains(tag) ? local.tags.filter { $0 != tag } : local.tags + [tag]
                    fields = ["tags": .array(tags.map { .string($0) })]
                    base = ["tags": .array(local.tags.map { .string($0) })]
                } else {
                    fields = ["loyaltyPoints": .int(local.points + 1)]
                    base = ["loyaltyPoints": .int(local.points)]
                }
                mutations.append(
                    Mutation(
                        clientMutationId: UUID(), entity: .customer, recordId: id, op: .update,
                        baseVersion: local.version, fields: fields, base: base, hlc: try hlc()))
            }
            if mutations.isEmpty { return }
            let reply = try await http.post("/v1/sync/push", try SyncWire.encode(PushRequest(mutations: mutations)), token: token)
            tally.pushMs.record(reply.millis)
            guard reply.status == 200 else {
                tally.errors["push \(reply.errorCode)", default: 0] += 1
                if reply.status == 401 || reply.status == 403 { stopped = true }
                return
            }
            let response = try SyncWire.decode(PushResponse.self, from: reply.body)
            observe(response.serverHlc)
            tally.pushes += 1
            tally.mutations += mutations.count
            for result in response.results {
                tally.statuses[result.status.rawValue, default: 0] += 1
                if let rejection = result.rejection {
                    let detail = [rejection.field, rejection.rule].compactMap { $0 }.joined(separator: ".")
                    tally.rejections[rejection.code.rawValue + (detail.isEmpty ? "" : "(\(detail))"), default: 0] += 1
                }
                if let record = result.record, record.entity == .customer {
                    if record.deleted { customers[record.id] = nil } else { apply(record.fields, id: record.id, version: record.version, full: true) }
                }
            }
        } catch {
            tally.errors["push transport \(type(of: error))", default: 0] += 1
        }
    }
}

/// Request latencies of one operation kind in an HDR histogram (microseconds, 3 significant
/// digits, up to 10 minutes): exact percentiles to 0.1 % whatever the count, in fixed memory.
struct Latencies: Sendable {
    var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)

    mutating func record(_ millis: Double) {
        _ = histogram.record(UInt64(max(0, min(millis * 1000, 600_000_000))))
    }

    mutating func merge(_ other: Latencies) { histogram.add(other.histogram) }

    /// `n=… p50 … p90 … p99 … p99.9 … max …` in milliseconds.
    var summary: String {
        guard histogram.totalCount > 0 else { return "n=0" }
        func ms(_ micros: UInt64) -> String { String(format: "%.1f", Double(micros) / 1000) }
        let points = [("p50", 50.0), ("p90", 90), ("p99", 99), ("p99.9", 99.9)].map { "\($0.0) \(ms(histogram.valueAtPercentile($0.1)))" }
        return "n=\(histogram.totalCount) " + points.joined(separator: ", ") + ", max \(ms(histogram.max)) ms"
    }
}

/// Counters and latencies, merged across devices.
struct Tally: Sendable {
    var loginMs = Latencies()
    var initialPullMs = Latencies()
    var initialPages = 0
    var initialRecords = 0
    var initialComplete = 0
    var pushes = 0
    var mutations = 0
    var pushMs = Latencies()
    var pullMs = Latencies()
    var steadyPulls = 0
    var steadyRecords = 0
    var statuses: [String: Int] = [:]
    var rejections: [String: Int] = [:]
    var errors: [String: Int] = [:]

    mutating func merge(_ other: Tally) {
        loginMs.merge(other.loginMs)
        initialPullMs.merge(other.initialPullMs)
        initialPages += other.initialPages
        initialRecords += other.initialRecords
        initialComplete += other.initialComplete
        pushes += other.pushes
        mutations += other.mutations
        pushMs.merge(other.pushMs)
        pullMs.merge(other.pullMs)
        steadyPulls += other.steadyPulls
        steadyRecords += other.steadyRecords
        statuses.merge(other.statuses, uniquingKeysWith: +)
        rejections.merge(other.rejections, uniquingKeysWith: +)
        errors.merge(other.errors, uniquingKeysWith: +)
    }

    static func keyed(_ map: [String: Int]) -> String {
        map.isEmpty ? "none" : map.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }

    func report(devices: Int, signedIn: Int, loginSeconds: Double, initialSeconds: Double, steadySeconds: Double) {
        func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%.1f/s", seconds > 0 ? Double(count) / seconds : 0) }
        print("devices:            \(devices) requested, \(signedIn) signed in (\(String(format: "%.1f", loginSeconds)) s)")
        print("login latency:      \(loginMs.summary)")
        print(
            "initial sync:       \(initialComplete)/\(signedIn) devices complete, \(initialRecords) records in \(initialPages) pages, "
                + String(format: "%.2f s", initialSeconds) + ", \(rate(initialRecords, initialSeconds)) records pulled")
        print("initial pull:       \(initialPullMs.summary)")
        print(String(format: "steady state:       %.2f s", steadySeconds))
        print("pushes:             \(pushes) (\(rate(pushes, steadySeconds))), mutations \(mutations) (\(rate(mutations, steadySeconds)))")
        print("push latency:       \(pushMs.summary)")
        print("pulls:              \(steadyPulls) pages, \(steadyRecords) records (\(rate(steadyRecords, steadySeconds)) pulled)")
        print("pull latency:       \(pullMs.summary)")
        print("mutation results:   \(Self.keyed(statuses))")
        print("rejections by code: \(Self.keyed(rejections))")
        print("errors by code:     \(Self.keyed(errors))")
    }
}
