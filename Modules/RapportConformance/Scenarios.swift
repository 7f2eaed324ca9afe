import Foundation
import NIOHTTP1
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// The scenarios of the conformance suite.
enum Scenarios {
    static let all: [ConformanceScenario] = [
        ConformanceScenario(
            name: "idempotent-replay", summary: "a push replayed with the same mutation ids applies nothing twice",
            body: idempotentReplay),
        ConformanceScenario(
            name: "different-fields-merge", summary: "concurrent offline edits of different fields on two devices both survive",
            body: differentFieldsMerge),
        ConformanceScenario(
            name: "same-field-conflict", summary: "concurrent edits of one field: the loser is reported with base, yours and theirs",
            body: sameFieldConflict),
        ConformanceScenario(
            name: "rejection-rolls-back", summary: "an edit the server refuses is reported and the device returns to the server's record",
            body: rejectionRollsBack),
        ConformanceScenario(
            name: "eviction-revoked-grant", summary: "a record seen through a grant is evicted from the device when the grant is revoked",
            body: evictionOnRevokedGrant),
        ConformanceScenario(
            name: "eviction-reassignment", summary: "a reassigned customer leaves the old owner's device and arrives whole on the new owner's",
            body: evictionOnReassignment),
        ConformanceScenario(
            name: "stale-cursor-reset", summary: "a cursor the server no longer knows gets resetRequired; a fresh pull delivers everything",
            body: staleCursorReset),
        ConformanceScenario(
            name: "revoked-device-wipes", summary: "a revoked device is told to wipe and its store becomes unreadable",
            body: revokedDeviceWipes),
        ConformanceScenario(
            name: "masked-fields", summary: "fields masked for the caller's role never arrive unmasked, in pushes or pulls",
            body: maskedFields),
        ConformanceScenario(
            name: "pagination-under-writes", summary: "paging through changes while another device writes loses and duplicates nothing",
            body: paginationUnderWrites),
    ]

    // MARK: - Helpers

    /// Runs `body` with client devices, closing them however it ends.
    static func using<T: Sendable>(_ clients: [RapportClient], _ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            for client in clients { await client.close() }
            return value
        } catch {
            for client in clients { await client.close() }
            throw error
        }
    }

    static func stored(_ client: RapportClient, _ id: UUID) async throws -> Customer? {
        try await client.store.entity(Customer.self, id: id)
    }

    // MARK: - Scenarios

    static func idempotentReplay(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let device = try await context.protocolDevice(ana)
        defer { Task { await device.close() } }
        let customer = context.customer(of: ana, name: "Replay Original")
        let create = try await device.create(customer)
        let first = try await device.push([create])
        try check(first.results.first?.status == .applied && first.results.first?.version == 1, "the first push of a create should be applied at version 1, got \(first.results)")
        let again = try await device.push([create])
        let replay = try require(again.results.first, "the replayed push has no result")
        try check(replay.status == .applied && replay.version == 1, "a replayed create should answer its first outcome (applied, version 1), got \(replay.status) v\(replay.version ?? -1)")
        let rename = try await device.update(customer.id, version: 1, ["name": "Replay Renamed"], base: ["name": "Replay Original"])
        let updated = try await device.push([rename])
        try check(updated.results.first?.version == 2, "the update should make version 2, got \(updated.results.first?.version ?? -1)")
        // The same update sent twice more, once alone and once with a new mutation behind it.
        let later = try await device.update(customer.id, version: 2, ["code": .string("R-\(context.suffix)")])
        let mixed = try await device.push([rename, later])
        try check(mixed.results.count == 2, "a push of two mutations should answer two results")
        try check(mixed.results[0].version == 2, "the replayed update should answer version 2 again, got \(mixed.results[0].version ?? -1)")
        try check(mixed.results[1].version == 3, "the new update behind a replay should make version 3, got \(mixed.results[1].version ?? -1)")
        let (pages, _) = try await device.pullAll(from: nil)
        let change = try require(pages.flatMap(\.changes).last { $0.recordId == customer.id }, "a fresh pull does not hold the customer")
        try check(change.version == 3, "after one create, one update (sent twice) and one more update the record should be at version 3, got \(change.version)")
        try check(change.fields["name"] == .string("Replay Renamed"), "the record's name should be the update's, got \(change.fields["name"] ?? .null)")
    }

    static func differentFieldsMerge(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let phone = try await context.client(ana, "phone")
        let tablet = try await context.client(ana, "tablet")
        try await using([phone, tablet]) {
            var customer = context.customer(of: ana, name: "Merge Base")
            customer.tags = ["existing"]
            try await phone.engine.save(customer)
            try await phone.sync()
            try await tablet.sync()
            var onPhone = try require(try await stored(phone, customer.id), "the phone lost its own customer")
            var onTablet = try require(try await stored(tablet, customer.id), "the tablet did not receive the customer")
            onPhone.name = "Merge Name From Phone"
            onTablet.tags.insert("from-tablet")
            onTablet.loyaltyPoints += 5
            try await phone.engine.save(onPhone)
            try await tablet.engine.save(onTablet)
            let first = try await phone.sync()
            let second = try await tablet.sync()
            try await phone.sync()
            try check(first.conflicts.isEmpty && second.conflicts.isEmpty, "edits of different fields should not conflict, got \(first.conflicts + second.conflicts)")
            for (label, device) in [("phone", phone), ("tablet", tablet)] {
                let merged = try require(try await stored(device, customer.id), "the \(label) lost the customer")
                try check(merged.name == "Merge Name From Phone", "the \(label) should have the phone's name, has '\(merged.name)'")
                try check(merged.tags.contains("from-tablet") && merged.tags.contains("existing"), "the \(label) should have both tags, has \(merged.tags)")
                try check(merged.loyaltyPoints == 5, "the \(label) should have the tablet's +5 points, has \(merged.loyaltyPoints)")
            }
        }
    }

    static func sameFieldConflict(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let phone = try await context.client(ana, "phone")
        let tablet = try await context.client(ana, "tablet")
        try await using([phone, tablet]) {
            let customer = context.customer(of: ana, name: "Conflict Base")
            try await phone.engine.save(customer)
            try await phone.sync()
            try await tablet.sync()
            var onPhone = try require(try await stored(phone, customer.id), "the phone lost its customer")
            var onTablet = try require(try await stored(tablet, customer.id), "the tablet did not receive the customer")
            onPhone.name = "Conflict Phone"
            try await phone.engine.save(onPhone)
            try await Task.sleep(for: .milliseconds(20))
            onTablet.name = "Conflict Tablet"
            try await tablet.engine.save(onTablet)
            // The tablet's edit is later (HLC), but the phone pushes second: the phone's edit loses.
            try await tablet.sync()
            let report = try await phone.sync()
            let conflict = try require(report.conflicts.first { $0.recordId == customer.id && $0.conflict.field == "name" }, "the losing push should report a conflict on 'name', got \(report.conflicts)")
            try check(conflict.conflict.base == .string("Conflict Base"), "the conflict's base should be 'Conflict Base', got \(conflict.conflict.base ?? .null)")
            try check(conflict.conflict.yours == .string("Conflict Phone"), "the conflict's 'yours' should be the phone's value, got \(conflict.conflict.yours)")
            try check(conflict.conflict.theirs == .string("Conflict Tablet"), "the conflict's 'theirs' should be the tablet's value, got \(conflict.conflict.theirs)")
            try check(conflict.conflict.result == .string("Conflict Tablet") && conflict.conflict.winner == .theirs, "the later edit should win, got \(conflict.conflict.result) (\(conflict.conflict.winner))")
            try await tablet.sync()
            for (label, device) in [("phone", phone), ("tablet", tablet)] {
                let name = try await stored(device, customer.id)?.name
                try check(name == "Conflict Tablet", "the \(label) should converge on the winner, has \(name ?? "nothing")")
            }
            try check(await phone.engine.conflicts.contains { $0.recordId == customer.id }, "the engine should keep the conflict until it is cleared")
        }
    }

    static func rejectionRollsBack(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let phone = try await context.client(ana, "phone")
        try await using([phone]) {
            let customer = context.customer(of: ana, name: "Rejection Base")
            try await phone.engine.save(customer)
            try await phone.sync()
            var edited = try require(try await stored(phone, customer.id), "the phone lost its customer")
            edited.tier = .key  // server-only: a device may not set it
            edited.name = "Rejection Edit"
            try await phone.engine.save(edited)
            let report = try await phone.sync()
            let rejection = try require(report.rejections.first { $0.recordId == customer.id }, "a push setting a server-only field should be refused, got no rejection")
            try check(rejection.rejection.field == "tier" || rejection.rejection.message.contains("tier"), "the refusal should name the field 'tier', got \(rejection.rejection)")
            let after = try require(try await stored(phone, customer.id), "the rolled-back record is gone")
            try check(after.tier != .key && after.name == "Rejection Base", "the device should be back at the server's record, has tier \(after.tier.map(\.rawValue) ?? "none") and name '\(after.name)'")
            try check(try await phone.store.outbox().isEmpty, "nothing should stay pending after a refusal")
            try check(await phone.engine.rejections.contains { $0.recordId == customer.id }, "the refusal should be kept until dismissed")
        }
    }

    static func evictionOnRevokedGrant(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let bruno = try await context.person("bruno")
        let anaPhone = try await context.client(ana, "ana")
        let brunoPhone = try await context.client(bruno, "bruno")
        try await using([anaPhone, brunoPhone]) {
            let customer = context.customer(of: ana, name: "Granted Customer")
            try await anaPhone.engine.save(customer)
            try await anaPhone.sync()
            try await brunoPhone.sync()
            try check(try await stored(brunoPhone, customer.id) == nil, "Bruno should not see Ana's customer before a grant")
            let grant = try await context.grantRead(to: bruno, customer: customer.id)
            try await brunoPhone.sync()
            try check(try await stored(brunoPhone, customer.id)?.name == "Granted Customer", "the grant should bring the customer to Bruno's device")
            try await context.revokeGrant(grant)
            let report = try await brunoPhone.sync()
            try check(try await brunoPhone.store.document(id: customer.id) == nil, "the revoked grant's customer should be purged from Bruno's device")
            let purged = report.purged.first { $0.recordId == customer.id }
            guard case .evicted = purged?.cause else {
                throw ConformanceFailure("the purge should be reported as an eviction, got \(String(describing: purged))")
            }
            try check(try await stored(anaPhone, customer.id) != nil, "the owner keeps the customer")
        }
    }

    static func evictionOnReassignment(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let carla = try await context.person("carla")
        let anaPhone = try await context.client(ana, "ana")
        let carlaRaw = try await context.protocolDevice(carla)
        defer { Task { await carlaRaw.close() } }
        try await using([anaPhone]) {
            let customer = context.customer(of: ana, name: "Moving Customer")
            try await anaPhone.engine.save(customer)
            try await anaPhone.sync()
            let (_, before) = try await carlaRaw.pullAll(from: nil)
            let held = try require(try await anaPhone.store.document(id: customer.id), "Ana's device lost the customer")
            let anaFields = try EntityFields.fields(.customer, json: held.json)
            try await context.reassign(customer.id, to: carla)
            let report = try await anaPhone.sync()
            try check(try await anaPhone.store.document(id: customer.id) == nil, "the reassigned customer should leave Ana's device")
            guard case .evicted = report.purged.first(where: { $0.recordId == customer.id })?.cause else {
                throw ConformanceFailure("Ana's sync should report the customer as evicted, got \(report.purged)")
            }
            let (pages, _) = try await carlaRaw.pullAll(from: before)
            let change = try require(pages.flatMap(\.changes).first { $0.recordId == customer.id }, "the customer should arrive on Carla's device")
            try check(change.kind == .full, "a record entering the scope should arrive whole (kind full), got \(change.kind)")
            // Whole: every field with a value on the old owner's device (same role, same masking), not only changed ones.
            let missing = Set(anaFields.filter { !$0.value.isNull }.keys).subtracting(change.fields.keys)
            try check(missing.isEmpty, "a full record should list every field of the record; missing: \(missing.sorted().joined(separator: ", "))")
            let owner = change.fields["ownerId"]?.stringValue?.lowercased()
            try check(
                change.fields["name"] == .string("Moving Customer") && owner == carla.id.uuidString.lowercased(),
                "the arriving record should carry its name and the new owner, got name \(change.fields["name"] ?? .null), owner \(owner ?? "none")")
        }
    }

    static func staleCursorReset(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let device = try await context.protocolDevice(ana)
        defer { Task { await device.close() } }
        _ = try await device.push([try await device.create(context.customer(of: ana, name: "Stale One"))])
        let old = try require(try await device.pullAll(from: nil).cursor, "the first pull gave no cursor")
        // The device moves on twice, each time with a change in what it holds, as a device does
        // between a backup and its restore; the server may then forget the first snapshot.
        var current = old
        for name in ["Stale Two", "Stale Three"] {
            _ = try await device.push([try await device.create(context.customer(of: ana, name: name))])
            current = try require(try await device.pullAll(from: current).cursor, "a pull gave no cursor")
        }
        _ = try await device.pullAll(from: current)
        // Replaying the first cursor (the device restored an old backup) must not give a delta.
        let stale = try await device.pullReply(cursor: old)
        let code = stale.errorBody?.error.code
        try check(
            stale.status == 409 && code == "resetRequired",
            "a cursor whose snapshot the server dropped should answer 409 resetRequired, got HTTP \(stale.status) \(code ?? String(decoding: stale.body.prefix(200), as: UTF8.self))")
        let forged = try await device.pullReply(cursor: "not-a-cursor")
        try check(
            forged.status == 400 && forged.errorBody?.error.code == "invalidCursor",
            "a cursor the server never issued should answer 400 invalidCursor, got HTTP \(forged.status)")
        let (pages, _) = try await device.pullAll(from: nil)
        let names = Set(pages.flatMap(\.changes).compactMap { $0.fields["name"]?.stringValue })
        for name in ["Stale One", "Stale Two", "Stale Three"] {
            try check(names.contains(name), "a pull from scratch after the reset should deliver '\(name)'")
        }
    }

    static func revokedDeviceWipes(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let phone = try await context.client(ana, "phone")
        let directory = phone.directory
        let copy = directory.path + "-copy"
        try await using([phone]) {
            try await phone.engine.save(context.customer(of: ana, name: "Wiped Customer"))
            try await phone.sync()
            // What a thief might have copied before the wipe: the store and its key file.
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            for file in ["store.db", "store.db.keys"] {
                try FileManager.default.copyItem(atPath: directory.path + "/" + file, toPath: copy + "/" + file)
            }
            try await context.revokeDevice(phone.device.id)
            do {
                try await phone.sync()
                throw ConformanceFailure("a revoked device's sync should be told to wipe, but it succeeded")
            } catch let error as ClientError where error.code == .wiped {
                // expected
            }
            for file in ["store.db", "store.db.keys", "session.json", "device.key"] {
                try check(!FileManager.default.fileExists(atPath: directory.path + "/" + file), "after the wipe \(file) should be gone")
            }
            do {
                _ = try await RapportClient.open(directory: directory)
                throw ConformanceFailure("a wiped device folder should not open")
            } catch let error as ClientError where error.code == .notSignedIn {}
            // The copy cannot be opened without the lease key, and the server no longer renews it.
            do {
                _ = try await EncryptedStore.open(at: copy + "/store.db", credential: .platformKey(ClientKey.generate(byteCount: 32)))
                throw ConformanceFailure("the copied store opened with a wrong key")
            } catch let error as StoreError where error.code == .wrongKey {}
        }
        try? FileManager.default.removeItem(atPath: copy)
        let raw = try await context.protocolDevice(ana)
        defer { Task { await raw.close() } }
        try await context.revokeDevice(raw.deviceId)
        let refused = try await raw.http.send(.POST, "/v1/auth/lease", token: await raw.accessToken)
        try check(refused.status == 403 && refused.errorBody?.wipe != nil, "a revoked device asking for its lease key should get 403 with a wipe instruction, got HTTP \(refused.status)")
        let pull = try await raw.pullReply(cursor: nil)
        try check(pull.status == 403 && pull.errorBody?.error.code == "wipeRequired", "a revoked device's pull should get 403 wipeRequired, got HTTP \(pull.status)")
    }

    static func maskedFields(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let writer = try await context.protocolDevice(ana)
        let reader = try await context.protocolDevice(ana)
        defer { Task { await writer.close(); await reader.close() } }
        let customer = context.customer(of: ana, name: "Masked Customer")
        let secrets = (customer.individual?.phones ?? []) + (customer.individual?.emails ?? []) + [customer.notes ?? ""]
        let pushed = try await writer.push([try await writer.create(customer)])
        let record = try require(pushed.results.first?.record, "the push result should carry the record")
        try check(!(record.masked ?? []).isEmpty, "a sales rep's push result should list masked fields")
        let (pages, _) = try await reader.pullAll(from: nil)
        let change = try require(pages.flatMap(\.changes).first { $0.recordId == customer.id }, "the other device should receive the customer")
        try check(!(change.masked ?? []).isEmpty, "the pulled record should list its masked fields")
        // A same-field conflict on a masked field must not leak the value through the report.
        let conflicting = try await writer.update(customer.id, version: 1, ["notes": .string("second secret \(context.suffix)")], base: ["notes": .null])
        _ = try await writer.push([conflicting])
        for secret in secrets + ["second secret \(context.suffix)"] where !secret.isEmpty {
            try check(!(await writer.received(secret)), "the value '\(secret)' came back unmasked in a push answer")
            try check(!(await reader.received(secret)), "the value '\(secret)' arrived unmasked in a pull")
        }
        // And the client engine stores the record with the masked paths known.
        let phone = try await context.client(ana, "phone")
        try await using([phone]) {
            try await phone.sync()
            let masked = await phone.engine.maskedPaths[.customer] ?? []
            try check(masked.contains("notes"), "the client should know 'notes' is masked, knows \(masked.sorted())")
            let stored = try require(try await phone.store.document(id: customer.id), "the client did not store the customer")
            for secret in secrets where !secret.isEmpty {
                try check(!stored.json.contains(secret), "the client's store holds the unmasked value '\(secret)'")
            }
        }
    }

    static func paginationUnderWrites(_ context: ConformanceContext) async throws {
        let ana = try await context.person("ana")
        let writer = try await context.protocolDevice(ana)
        let reader = try await context.protocolDevice(ana)
        let auditor = try await context.protocolDevice(ana)
        var options = ClientOptions(caFile: context.caFile, store: StoreConfiguration(pageCacheKiB: 2048))
        options.sync.pageSize = 7
        let phone = try await RapportClient.signIn(
            server: context.server, loginName: ana.login, password: ana.password,
            directory: ClientDirectory(context.folder + "/paging-phone"), device: DeviceDescription(name: "conformance paging", platform: "conformance"),
            options: options)
        defer { Task { await writer.close(); await reader.close(); await auditor.close() } }
        try await using([phone]) {
            var ids: [UUID] = []
            var batch: [Mutation] = []
            for index in 0..<60 {
                let customer = context.customer(of: ana, name: "Page \(index)")
                ids.append(customer.id)
                batch.append(try await writer.create(customer))
            }
            _ = try await writer.push(batch)
            // Two devices page through 7 records at a time while another edits and creates.
            let writing = Task {
                var versions: [UUID: Int64] = Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) })
                for round in 0..<20 {
                    let id = ids[(round * 7) % ids.count]
                    let update = try await writer.update(id, version: versions[id]!, ["name": .string("Page edited \(round)")])
                    let result = try await writer.push([update, try await writer.create(context.customer(of: ana, name: "Page new \(round)"))])
                    if let version = result.results.first?.version { versions[id] = version }
                }
            }
            let engineSync = Task { try await phone.sync() }
            var seen: [UUID: Int64] = [:]
            var firstValues: [String: JSONValue] = [:]
            var problems: [String] = []
            func take(_ page: PullResponse) {
                for change in page.changes where change.kind != .deleted {
                    if let earlier = seen[change.recordId], earlier > change.version {
                        problems.append("\(change.recordId) went back from v\(earlier) to v\(change.version)")
                    }
                    if let earlier = seen[change.recordId], earlier == change.version {
                        // A version sent again (it entered the scope in the pass that changed it)
                        // must carry the same values.
                        for (path, value) in change.fields where firstValues["\(change.recordId)/\(change.version)/\(path)"].map({ $0 != value }) == true {
                            problems.append("\(change.recordId) v\(change.version) was sent again with another '\(path)'")
                        }
                    }
                    for (path, value) in change.fields { firstValues["\(change.recordId)/\(change.version)/\(path)"] = firstValues["\(change.recordId)/\(change.version)/\(path)"] ?? value }
                    seen[change.recordId] = max(seen[change.recordId] ?? 0, change.version)
                }
            }
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await reader.pull(cursor: cursor, limit: 7)
                take(page)
                cursor = page.cursor
                pages += 1
                if !page.hasMore { break }
            } while pages < 500
            try await writing.value
            _ = try await engineSync.value
            for page in try await reader.pullAll(from: cursor, limit: 7).pages { take(page) }
            try await phone.sync()
            try check(problems.isEmpty, "paging under concurrent writes delivered inconsistent versions: \(problems.prefix(3))")
            let (truth, _) = try await auditor.pullAll(from: nil)
            var expected: [UUID: Int64] = [:]
            for change in truth.flatMap(\.changes) { expected[change.recordId] = max(expected[change.recordId] ?? 0, change.version) }
            try check(expected.count >= 80, "the server should hold the 60 + 20 created customers, a fresh pull has \(expected.count)")
            let lost = expected.filter { seen[$0.key] != $0.value }
            try check(lost.isEmpty, "the paging device should end with every record at its latest version; \(lost.count) differ")
            // The engine device applied every page: exactly the server's records, each once, none pending.
            let stored = try await phone.store.records(RecordQuery(kind: .customer))
            try check(stored.count == expected.count, "the client engine should hold \(expected.count) customers once each, holds \(stored.count)")
            for document in stored where expected[document.id] != document.version {
                throw ConformanceFailure("the client engine holds \(document.id) at v\(document.version), the server at v\(expected[document.id] ?? 0)")
            }
            try check(try await phone.store.outbox().isEmpty, "the paging device has nothing to push")
        }
    }
}
