import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// Many devices against one server: each a real ``RapportClient`` with its own folder and
/// encrypted store, making random offline edits and syncing at random moments; then all sync
/// until nothing changes and the run checks that they converged.
///
/// ```swift
/// let result = try await Simulation(configuration).run()
/// result.converged   // every outbox empty, devices of one person identical
/// ```
public struct Simulation: Sendable {
    /// A member of staff the devices sign in as.
    public struct Login: Sendable, Hashable {
        /// The login name.
        public var name: String
        /// The password.
        public var password: String

        /// Creates a login.
        public init(name: String, password: String) {
            self.name = name
            self.password = password
        }
    }

    /// What to simulate.
    public struct Configuration: Sendable {
        /// The server.
        public var server: ServerEndpoint
        /// How many devices.
        public var devices: Int
        /// How long the edit phase lasts, in seconds.
        public var duration: Double
        /// The staff, assigned to devices round-robin.
        public var logins: [Login]
        /// At most this many edits per device (`nil`: as many as the duration allows).
        public var editsPerDevice: Int?
        /// The seed of every random choice.
        public var seed: UInt64
        /// Where the device folders go.
        public var root: String
        /// Keep the device folders (signed in) at the end.
        public var keep: Bool
        /// A PEM file of certificate authorities to trust.
        public var caFile: String?
        /// The most sync rounds after the edit phase.
        public var maxSettleRounds: Int

        /// Creates a configuration.
        public init(
            server: ServerEndpoint, devices: Int, duration: Double, logins: [Login], editsPerDevice: Int? = nil,
            seed: UInt64 = 1,
            root: String, keep: Bool = false, caFile: String? = nil, maxSettleRounds: Int = 10
        ) {
            self.server = server
            self.devices = devices
            self.duration = duration
            self.logins = logins
            self.editsPerDevice = editsPerDevice
            self.seed = seed
            self.root = root
            self.keep = keep
            self.caFile = caFile
            self.maxSettleRounds = maxSettleRounds
        }
    }

    /// What one device did.
    public struct DeviceSummary: Sendable, Hashable {
        /// The device's number.
        public var index: Int
        /// Who it is signed in as.
        public var login: String
        /// Edits made, by kind of edit.
        public var edits: [String: Int] = [:]
        /// Edits that failed locally.
        public var failedEdits = 0
        /// Syncs during the edit phase.
        public var syncs = 0
        /// Syncs that failed (retried later).
        public var failedSyncs = 0
        /// Mutations the server applied or merged.
        public var pushed = 0
        /// Conflicts reported to this device.
        public var conflicts = 0
        /// Edits the server refused.
        public var rejections = 0
        /// Records on the device at the end.
        public var records = 0
        /// Pending edits at the end.
        public var pending = 0

        /// Every edit made.
        public var totalEdits: Int { edits.values.reduce(0, +) }
    }

    /// The outcome.
    public struct Result: Sendable {
        /// Per device.
        public var devices: [DeviceSummary]
        /// The edit phase's length, in seconds.
        public var elapsed: Double
        /// Sync rounds it took to settle.
        public var settleRounds: Int
        /// Whether the last round changed nothing.
        public var settled: Bool
        /// Differences found (empty when converged).
        public var differences: [String]

        /// Every outbox empty and no differences.
        public var converged: Bool { differences.isEmpty && devices.allSatisfy { $0.pending == 0 } }
        /// Edits over all devices.
        public var totalEdits: Int { devices.reduce(0) { $0 + $1.totalEdits } }
        /// Edits per second during the edit phase.
        public var editsPerSecond: Double { elapsed > 0 ? Double(totalEdits) / elapsed : 0 }
    }

    /// The configuration.
    public let configuration: Configuration

    /// A simulation of `configuration`.
    public init(_ configuration: Configuration) { self.configuration = configuration }

    struct Device: Sendable {
        let index: Int
        let login: Login
        let client: RapportClient
        let folder: String
    }

    /// Runs the simulation; `log` receives progress lines.
    public func run(log: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Result {
        let config = configuration
        var devices: [Device] = []
        do {
            for index in 0..<config.devices {
                let login = config.logins[index % config.logins.count]
                let folder = (config.root as NSString).appendingPathComponent("device-\(index)")
                var options = ClientOptions(caFile: config.caFile, requestTimeoutSeconds: 30)
                options.sync.maxAttempts = 4
                options.sync.initialBackoffMillis = 100
                options.sync.maxBackoffMillis = 1_000
                let client = try await RapportClient.signIn(
                    server: config.server, loginName: login.name, password: login.password,
                    directory: ClientDirectory(folder),
                    device: DeviceDescription(name: "simulated device \(index)", platform: "simulator"),
                    options: options)
                devices.append(Device(index: index, login: login, client: client, folder: folder))
            }
            log("signed in \(devices.count) devices; initial sync")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for device in devices { group.addTask { try await device.client.sync() } }
                try await group.waitForAll()
            }
            log("editing for \(config.duration) s")
            let started = Date()
            let deadline = started.addingTimeInterval(config.duration)
            var summaries = await withTaskGroup(of: DeviceSummary.self) { group in
                for device in devices {
                    group.addTask {
                        var generator = SeededGenerator(
                            seed: config.seed &+ UInt64(device.index) &* 0x9E37_79B9_7F4A_7C15)
                        return await Self.edit(
                            device, until: deadline, maxEdits: config.editsPerDevice, using: &generator)
                    }
                }
                var all: [DeviceSummary] = []
                for await summary in group { all.append(summary) }
                return all.sorted { $0.index < $1.index }
            }
            let elapsed = Date().timeIntervalSince(started)
            log("settling: syncing every device until a round changes nothing")
            var rounds = 0
            var settled = false
            while rounds < config.maxSettleRounds, !settled {
                rounds += 1
                settled = true
                for device in devices {
                    do {
                        let report = try await device.client.sync()
                        summaries[device.index].pushed += report.applied + report.merged
                        summaries[device.index].conflicts += report.conflicts.count
                        summaries[device.index].rejections += report.rejections.count
                        if report.applied + report.merged > 0 || report.changesApplied > 0 || !report.purged.isEmpty
                            || !report.rejections.isEmpty
                        {
                            settled = false
                        }
                    } catch {
                        summaries[device.index].failedSyncs += 1
                        settled = false
                    }
                }
            }
            var snapshots: [[UUID: (EntityKind, FieldMap)]] = []
            for device in devices {
                let snapshot = try await Self.snapshot(device.client.store)
                snapshots.append(snapshot)
                summaries[device.index].records = snapshot.count
                summaries[device.index].pending = try await device.client.store.outbox().count
            }
            let differences = Self.compare(devices, snapshots)
            await finish(devices)
            return Result(
                devices: summaries, elapsed: elapsed, settleRounds: rounds, settled: settled, differences: differences)
        } catch {
            await finish(devices)
            throw error
        }
    }

    /// Signs the devices out (or closes them with `keep`) and removes their folders.
    func finish(_ devices: [Device]) async {
        for device in devices {
            if configuration.keep {
                await device.client.close()
            } else {
                try? await device.client.signOut(discardingPendingEdits: true)
                try? FileManager.default.removeItem(atPath: device.folder)
            }
        }
    }

    static let words = [
        "Aurora", "Birch", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kestrel",
        "Lotus",
    ]
    static let tagPool = ["vip", "export", "华东", "follow-up", "wholesale", "new"]

    /// The edit phase of one device.
    static func edit(_ device: Device, until deadline: Date, maxEdits: Int?, using generator: inout SeededGenerator)
        async -> DeviceSummary
    {
        var summary = DeviceSummary(index: device.index, login: device.login.name)
        let client = device.client
        var counter = 0
        while Date() < deadline, maxEdits.map({ summary.totalEdits < $0 }) ?? true {
            counter += 1
            let roll = Int.random(in: 0..<100, using: &generator)
            let pick = UInt64.random(in: 0..<UInt64.max, using: &generator)
            let pause = Int.random(in: 1...6, using: &generator)
            do {
                if roll < 8 {
                    summary.syncs += 1
                    do {
                        let report = try await client.sync()
                        summary.pushed += report.applied + report.merged
                        summary.conflicts += report.conflicts.count
                        summary.rejections += report.rejections.count
                    } catch {
                        summary.failedSyncs += 1
                    }
                } else {
                    let kind = try await editOnce(
                        client, roll: roll, pick: pick, counter: counter, device: device.index)
                    summary.edits[kind, default: 0] += 1
                }
            } catch {
                summary.failedEdits += 1
            }
            try? await Task.sleep(for: .milliseconds(pause))
        }
        return summary
    }

    /// One random offline edit; returns its kind.
    static func editOnce(_ client: RapportClient, roll: Int, pick: UInt64, counter: Int, device: Int) async throws
        -> String
    {
        let customers = try await client.store.records(RecordQuery(kind: .customer))
        let masked = await client.engine.maskedPaths[.customer] ?? []
        let me = client.staff
        if customers.isEmpty || roll >= 95 {
            let customer = Customer(
                kind: .individual, name: "Sim \(words[Int(pick % UInt64(words.count))]) \(device)-\(counter)",
                sourceChannel: .service,
                ownerId: me.id, teamId: me.teamId, tags: ["new"], createdAt: Date(), individual: IndividualProfile())
            try await client.engine.save(customer)
            return "create"
        }
        var customer = try customers[Int(pick % UInt64(customers.count))].decode(as: Customer.self)
        switch roll {
        case ..<35:
            customer.name = "Sim \(words[Int((pick >> 8) % UInt64(words.count))]) \(device)-\(counter)"
            try await client.engine.save(customer)
            return "name"
        case ..<45 where !masked.contains("notes"):
            customer.notes = "note \(counter) from device \(device)"
            try await client.engine.save(customer)
            return "notes"
        case ..<62:
            let tag = tagPool[Int((pick >> 16) % UInt64(tagPool.count))]
            if customer.tags.contains(tag) { customer.tags.remove(tag) } else { customer.tags.insert(tag) }
            try await client.engine.save(customer)
            return "tags"
        case ..<80:
            customer.loyaltyPoints += Int64((pick >> 24) % 50 + 1)
            try await client.engine.save(customer)
            return "points"
        default:
            let interaction = Interaction(
                customerId: customer.id, ownerId: me.id, channel: .phone, direction: .outbound, purpose: .information,
                occurredAt: Date(), subject: "call \(counter)", createdAt: Date())
            try await client.engine.save(interaction)
            return "interaction"
        }
    }

    /// Every live record on the device with its field map.
    static func snapshot(_ store: EncryptedStore) async throws -> [UUID: (EntityKind, FieldMap)] {
        var result: [UUID: (EntityKind, FieldMap)] = [:]
        for kind in EntityKind.allCases {
            for document in try await store.records(RecordQuery(kind: kind)) {
                result[document.id] = (kind, try EntityFields.fields(kind, json: document.json))
            }
        }
        return result
    }

    /// Differences: devices of one person must hold identical records; devices of people with
    /// the same roles must agree on the records both hold.
    static func compare(_ devices: [Device], _ snapshots: [[UUID: (EntityKind, FieldMap)]]) -> [String] {
        var differences: [String] = []
        func describe(_ a: Int, _ b: Int, _ id: UUID, _ kind: EntityKind, _ left: FieldMap, _ right: FieldMap) -> String
        {
            let paths = Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }.sorted()
            let detail = paths.prefix(3).map { "\($0): \(Display.text(left[$0])) ≠ \(Display.text(right[$0]))" }.joined(
                separator: "; ")
            return "device \(a) and device \(b) differ on \(kind.rawValue) \(id.uuidString.lowercased()): \(detail)"
        }
        for (a, first) in devices.enumerated() {
            for b in (a + 1)..<devices.count {
                let second = devices[b]
                let sameStaff = first.client.staff.id == second.client.staff.id
                let sameRoles = Set(first.client.staff.roles) == Set(second.client.staff.roles)
                guard sameStaff || sameRoles else { continue }
                let left = snapshots[a], right = snapshots[b]
                if sameStaff {
                    for id in Set(left.keys).symmetricDifference(right.keys).sorted(by: {
                        $0.uuidString < $1.uuidString
                    }) {
                        let holder = left[id] != nil ? a : b
                        let kind = (left[id] ?? right[id])?.0.rawValue ?? "record"
                        differences.append(
                            "\(kind) \(id.uuidString.lowercased()) is on device \(holder) only (devices \(a) and \(b) are both \(first.login.name))"
                        )
                    }
                }
                for (id, (kind, fields)) in left {
                    guard let (_, other) = right[id], other != fields else { continue }
                    differences.append(describe(a, b, id, kind, fields, other))
                }
            }
        }
        return differences
    }
}
