import Foundation
import Logging
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import Testing

/// Detection is live: what an insider does over HTTP reaches the anomaly rules in the same
/// request, an alert appears in `GET /v1/admin/alerts`, and the offboarding report says what
/// the person received.
@Suite("Attack: detection")
struct DetectionAttackTests {
    @Test("ten refused admin requests raise repeatedRefusals on the tenth")
    func refusedAdminRequestsRaiseAnAlert() async throws {
        let org = try await AttackOrg.start()
        let admin = try await org.adminToken()
        let ana = try await org.device("ana")
        for attempt in 1...10 {
            let reply = try await ana.get("/v1/admin/staff")
            #expect(reply.status == 403)
            let rules = try await org.alertRules(for: org.ana, token: admin)
            if attempt < 10 {
                #expect(rules.isEmpty, "alert raised after only \(attempt) refusals")
            } else {
                #expect(rules.contains("repeatedRefusals"), "no alert after \(attempt) refused requests")
            }
        }
        try await org.stop()
    }

    @Test("a push of ten updates to another team's customer raises repeatedRefusals")
    func forbiddenMutationsRaiseAnAlert() async throws {
        let org = try await AttackOrg.start()
        let admin = try await org.adminToken()
        let target = try await org.customer(owner: org.carl, number: 7)
        let ana = try await org.device("ana")
        let mutations = try (0..<10).map {
            try ana.update(target.id, version: 1, ["name": .string("probe \($0)")])
        }
        let reply = try await ana.push(mutations)
        #expect(reply.status == 200)
        let results = try SyncWire.decode(PushResponse.self, from: reply.body).results
        #expect(results.allSatisfy { $0.status == .rejected }, "\(reply.text)")
        #expect(try await org.alertRules(for: org.ana, token: admin).contains("repeatedRefusals"))
        try await org.stop()
    }

    @Test("a rep on notice who pulls their book raises noticeActivity")
    func noticePeriodPullRaisesAnAlert() async throws {
        let org = try await AttackOrg.start()
        let admin = try await org.adminToken()
        for number in 0..<3 { try await org.customer(owner: org.ana, number: number) }
        let notice = try await org.server.send(.POST, "/v1/admin/staff/\(org.ana.id)/notice", token: admin)
        #expect(notice.status == 200, "\(notice.text)")
        let ana = try await org.device("ana")
        #expect(try await ana.pullAll().allSatisfy { $0.status == 200 })
        let alerts = try await org.alerts(for: org.ana, token: admin)
        let raised = try #require(alerts.first { $0.rule == "noticeActivity" }, "no alert for a notice-period pull")
        #expect(raised.observed == 3 && raised.severity >= AlertSeverity.medium.rawValue)
        try await org.stop()
    }

    @Test("the offboarding report lists the customers and records a rep received, and their refusals")
    func offboardingReportSaysWhatWasReceived() async throws {
        let org = try await AttackOrg.start()
        let admin = try await org.adminToken()
        var customers: [UUID] = []
        for number in 0..<4 { customers.append(try await org.customer(owner: org.ana, number: number).id) }
        for _ in 0..<2 { try await org.interaction(on: customers[0], owner: org.ana) }
        try await org.customer(owner: org.carl, number: 9)
        let ana = try await org.device("ana")
        let pages = try await ana.pullAll()
        #expect(pages.allSatisfy { $0.status == 200 })
        let delivering = try pages.filter {
            try SyncWire.decode(PullResponse.self, from: $0.body).changes.contains { $0.kind != .deleted }
        }.count
        for _ in 0..<2 { #expect(try await ana.get("/v1/admin/audit").status == 403) }

        let reply = try await org.server.post(
            "/v1/admin/staff/\(org.ana.id)/offboard", ["reassignTo": org.bob.id.uuidString], token: admin)
        #expect(reply.status == 200, "\(reply.text)")
        let access = try #require(reply.json["access"] as? [String: Any])
        #expect(access["entries"] as? Int != nil && access["lines"] != nil, "the old fields are gone")
        let received = try #require(access["received"] as? [String: Any], "no 'received' in \(access.keys.sorted())")
        #expect(received["customers"] as? Int == 4)
        #expect(received["deliveries"] as? Int == delivering, "one recordsSent entry per page that delivers records")
        #expect(Set((received["customerIds"] as? [String] ?? []).compactMap(UUID.init)) == Set(customers))
        #expect(received["records"] as? [String: Int] == ["customer": 4, "interaction": 2])
        #expect(access["refusals"] as? Int == 2)
        #expect(access["logins"] as? Int == 1)
        #expect(access["devices"] as? [String] == [ana.deviceId.uuidString])
        try await org.stop()
    }

    @Test("a pull far above the rep's own seeded baseline raises volumeSpike on the page that crosses it")
    func volumeSpikeOverASeededBaseline() async throws {
        let clock = ManualWallClock(startMillis: DetectionClock.wednesdayMorning)
        let org = try await AttackOrg.start(clock: clock)
        let admin = try await org.adminToken()
        try await org.seedBaseline(of: org.ana, customersPerDay: 5, days: 5, clock: clock)
        for number in 0..<25 { try await org.customer(owner: org.ana, number: number) }
        let ana = try await org.device("ana")
        // median 5 → medium above max(20, 3 × 5) = 20 distinct customers today
        let (_, reached) = try await ana.pullCustomerPages { reached in
            let spikes = try await org.alerts(for: org.ana, token: admin).filter { $0.rule == "volumeSpike" }
            #expect(spikes.isEmpty == (reached <= 20), "after \(reached) customers: \(spikes.map(\.observed))")
            return false
        }
        #expect(reached == 25)
        try await org.stop()
    }

    @Test("with autoSuspendOnHighAlert, the request after a high alert answers 403 with the wipe instruction")
    func highAlertSuspendsOnTheNextRequest() async throws {
        let clock = ManualWallClock(startMillis: DetectionClock.wednesdayMorning)
        let org = try await AttackOrg.start(clock: clock)
        let admin = try await org.adminToken()
        try await org.server.services.storage.saveAccessSettings(AccessSettings(autoSuspendOnHighAlert: true))
        await org.server.services.policy.invalidate()
        try await org.seedBaseline(of: org.ana, customersPerDay: 5, days: 5, clock: clock)
        for number in 0..<35 { try await org.customer(owner: org.ana, number: number) }
        let ana = try await org.device("ana")
        // high above max(20, 6 × 5) = 30 distinct customers today; the crossing page is answered
        let (cursor, reached) = try await ana.pullCustomerPages { $0 > 30 }
        #expect(reached > 30)
        let next = try await ana.pull(cursor)
        #expect(next.status == 403)
        #expect(next.json["wipe"] != nil, "no wipe instruction: \(next.text)")
        let high = try await org.alerts(for: org.ana, token: admin).filter {
            $0.rule == "volumeSpike" && $0.severity == AlertSeverity.high.rawValue
        }
        #expect(high.count == 1)
        #expect(try await org.server.services.storage.staff(id: org.ana.id)?.status == .suspended)
        try await org.stop()
    }

    @Test("a bulk read after working hours raises outOfHours on the pull that reaches the threshold")
    func offHoursBulkReadRaisesAnAlert() async throws {
        // Wednesday 23:00 local: outside working hours (08:00–20:00).
        let clock = ManualWallClock(startMillis: DetectionClock.wednesdayMorning + 13 * 3_600_000)
        let org = try await AttackOrg.start(clock: clock)
        let admin = try await org.adminToken()
        for number in 0..<20 { try await org.customer(owner: org.ana, number: number) }
        let ana = try await org.device("ana")
        let (_, reached) = try await ana.pullCustomerPages { reached in
            let late = try await org.alerts(for: org.ana, token: admin).filter { $0.rule == "outOfHours" }
            #expect(late.isEmpty == (reached < 20), "after \(reached) customers: \(late.map(\.observed))")
            return false
        }
        #expect(reached == 20)
        try await org.stop()
    }

    @Test("the baseline is in the database: a second storage over the same file reads it back")
    func baselineSurvivesARestart() async throws {
        let clock = ManualWallClock(startMillis: DetectionClock.wednesdayMorning)
        let org = try await AttackOrg.start(clock: clock)
        try await org.seedBaseline(of: org.ana, customersPerDay: 5, days: 5, clock: clock)
        let reopened = try SQLiteServerStorage(path: org.server.services.dataDirectory.databasePath)
        let day = AccessSettings().clock.day(of: Date(timeIntervalSince1970: Double(clock.nowMillis()) / 1000))
        let days = try await reopened.activityDays(staffId: org.ana.id, through: day)
        #expect(days.map(\.distinctCustomers) == [5, 5, 5, 5, 5])
        #expect(days.map(\.day) == (day - 5..<day).map { $0 })
        let history = try await org.server.services.activity.history(of: org.ana.id)
        #expect(
            history.baseline(before: Date(timeIntervalSince1970: Double(clock.nowMillis()) / 1000)) == [5, 5, 5, 5, 5])
        try await org.stop()
    }
}

// MARK: - Helpers

extension Insider {
    /// Pulls pages of 10 records, expecting each to be answered, until the server has no more
    /// or `after` (given the customers received so far) says stop; returns the cursor and the
    /// count.
    func pullCustomerPages(after: (Int) async throws -> Bool) async throws -> (cursor: String?, reached: Int) {
        var cursor: String?
        var reached = 0
        for _ in 0..<20 {
            let reply = try await pull(cursor, limit: 10)
            #expect(reply.status == 200, "\(reply.text)")
            let page = try SyncWire.decode(PullResponse.self, from: reply.body)
            reached += page.changes.filter { $0.entity == .customer }.count
            cursor = page.cursor
            if try await after(reached) || !page.hasMore { break }
        }
        return (cursor, reached)
    }
}

/// A fixed instant for tests that need working hours and days: Wednesday 2 December 2026,
/// 10:00 in the organisation's default offset (UTC+8).
enum DetectionClock {
    static let wednesdayMorning: Int64 = 1_796_176_800_000
}

extension AttackOrg {
    /// Gives `staff` a history through the monitor's API: `customersPerDay` distinct customers
    /// on each of the `days` days before the clock's day.
    func seedBaseline(of staff: Staff, customersPerDay: Int, days: Int, clock: ManualWallClock) async throws {
        let now = Date(timeIntervalSince1970: Double(clock.nowMillis()) / 1000)
        for back in 1...days {
            try await server.services.activity.customersReached(
                (0..<customersPerDay).map { _ in UUID() }, by: staff.id,
                now: now.addingTimeInterval(-Double(back) * 86_400))
        }
    }
}

/// One alert as `GET /v1/admin/alerts` lists it.
struct ListedAlert {
    var rule: String
    var severity: Int
    var observed: Int
    var staffId: String
}

extension AttackOrg {
    /// An access token of the bootstrap administrator.
    func adminToken() async throws -> String {
        try await server.login(server.admin.loginName, password: server.admin.password).tokens.accessToken
    }

    /// The alerts about `staff`, newest first.
    func alerts(for staff: Staff, token: String) async throws -> [ListedAlert] {
        let reply = try await server.send(.GET, "/v1/admin/alerts?staff=\(staff.id)", token: token)
        guard reply.status == 200 else {
            throw ServerError(.internalError, "alerts answered \(reply.status): \(reply.text)")
        }
        return (reply.json["items"] as? [[String: Any]] ?? []).compactMap { item in
            guard let alert = item["alert"] as? [String: Any] else { return nil }
            return ListedAlert(
                rule: alert["rule"] as? String ?? "", severity: alert["severity"] as? Int ?? -1,
                observed: alert["observed"] as? Int ?? -1, staffId: alert["staffId"] as? String ?? "")
        }
    }

    /// The rules of the alerts about `staff`.
    func alertRules(for staff: Staff, token: String) async throws -> [String] {
        try await alerts(for: staff, token: token).map(\.rule)
    }

    /// Logs an interaction with `customer` (on the server's own authority).
    @discardableResult
    func interaction(on customer: UUID, owner: Staff) async throws -> UUID {
        let interaction = Interaction(
            customerId: customer, ownerId: owner.id, channel: .phone, direction: .outbound, purpose: .information,
            occurredAt: Date(), summary: "called about the renewal", createdAt: Date())
        let fields = try interaction.fieldMap().filter { !$0.value.isNull }
        try await sync.serverWrite(RecordKey(.interaction, interaction.id), fields: fields)
        return interaction.id
    }
}
