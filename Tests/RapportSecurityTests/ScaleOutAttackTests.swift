import Foundation
import Logging
import RapportAccess
import RapportCrypto
import RapportProtocol
import RapportServer
import RapportSyncServer
import RapportTesting
import Testing

/// Two server instances on one database — two `ServerServices` over the same SQLite file, each
/// with its own connection pool, which is how two processes behave — and an attacker (or plain
/// load) alternating between them. Whatever one instance kept in process memory, the other
/// does not know: the audit chain's head, a person's quota ledger, the sign-in throttle's view
/// of a counter. Everything several instances must agree on has to live in the database and
/// change inside the writing transaction (`Docs/ScaleOut.md`, "What is shared").
@Suite("Attack: two server instances on one database")
struct ScaleOutAttackTests {
    /// Two instances over one data directory, with a rep whose role allows `quota` distinct
    /// customers a day and who has a login.
    struct Pair {
        let directory: TemporaryDirectory
        let a: ServerServices
        let b: ServerServices
        let rep: Staff
        static let password = "correct horse battery staple"

        static func open(quota: Int = 5, lockoutAfter: Int = 5) async throws -> Pair {
            let directory = try TemporaryDirectory(prefix: "rapport-scaleout")
            var configuration = ServerConfiguration(port: 0, dataDirectory: directory.path("data"))
            configuration.passwordHashing = .testing
            // No delays: only the lockout counts, so the test depends on no clock.
            configuration.loginThrottle = ServerConfiguration.LoginThrottle(
                slowdownAfter: 1_000, lockoutAfter: lockoutAfter, addressSlowdownAfter: 1_000, addressBlockAfter: 1_000)
            let a = try ServerServices.open(configuration: configuration, logger: Logger(label: "instance-a"))
            let b = try ServerServices.open(configuration: configuration, logger: Logger(label: "instance-b"))
            let team = Team(id: UUID(), name: "Sales")
            var role = Role.salesRep
            role.quotas.distinctCustomersPerDay = quota
            let rep = Staff(id: UUID(), name: "Mia", teamId: team.id, roles: [role.id], status: .active)
            try await a.storage.saveTeam(team)
            try await a.storage.saveRole(role)
            try await a.storage.saveStaff(rep)
            try await a.identity.setPassword(staffId: rep.id, loginName: "mia", password: password)
            return Pair(directory: directory, a: a, b: b, rep: rep)
        }
    }

    @Test("audit appends through two instances form one linear chain: no fork, no lost entry")
    func auditChainDoesNotFork() async throws {
        let pair = try await Pair.open()
        defer { pair.directory.remove() }
        let perInstance = 40
        let failures = await withTaskGroup(of: Int.self) { group in
            for index in 0..<(2 * perInstance) {
                let instance = index % 2 == 0 ? pair.a : pair.b
                group.addTask {
                    do {
                        try await instance.audit.record(
                            .accessDenied, actor: pair.rep.id, allowed: false, reason: "probe \(index)")
                        return 0
                    } catch {
                        return 1
                    }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0, "appends failed: the instances disagreed about the chain's head")
        let entries = try await pair.a.storage.auditEntries(after: 0, limit: 1_000)
        #expect(entries.map(\.sequence) == Array(1...UInt64(2 * perInstance)))
        for (previous, entry) in zip(entries, entries.dropFirst()) {
            #expect(entry.previousHash == previous.hash, "entry \(entry.sequence) forks from \(previous.sequence)")
        }
        let reportA = try await pair.a.audit.verify()
        let reportB = try await pair.b.audit.verify()
        #expect(reportA.intact, "\(reportA.message)")
        #expect(reportB.intact, "\(reportB.message)")
    }

    @Test("a read quota counts once across instances: alternating instances does not double the allowance")
    func quotaCountsOnceAcrossInstances() async throws {
        let pair = try await Pair.open(quota: 5)
        defer { pair.directory.remove() }
        let policy = try await pair.a.policy.current()
        let now = Date(timeIntervalSince1970: 1_796_616_000)
        var admitted = 0
        // Twenty different customers, one page each, alternating between the instances.
        for index in 0..<20 {
            let instance = index % 2 == 0 ? pair.a : pair.b
            let answer = try await instance.sync.quotas.admit(
                [UUID()], free: [], staffId: pair.rep.id, policy: policy, now: now)
            admitted += answer.admitted
        }
        #expect(admitted == 5, "the rep read \(admitted) customers against a daily quota of 5")
        let usage = try await pair.b.sync.quotas.usage(staffId: pair.rep.id, policy: policy, now: now)
        #expect(usage.distinctCustomersToday == 5)
    }

    @Test("a read quota counts exactly under concurrent admissions on both instances")
    func quotaExactUnderConcurrency() async throws {
        let pair = try await Pair.open(quota: 7)
        defer { pair.directory.remove() }
        let policy = try await pair.a.policy.current()
        let now = Date(timeIntervalSince1970: 1_796_616_000)
        let admitted = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<30 {
                let instance = index % 2 == 0 ? pair.a : pair.b
                group.addTask {
                    try await instance.sync.quotas.admit(
                        [UUID(), UUID()], free: [], staffId: pair.rep.id, policy: policy, now: now
                    )
                    .admitted
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(admitted == 7)
        let usage = try await pair.a.sync.quotas.usage(staffId: pair.rep.id, policy: policy, now: now)
        #expect(usage.distinctCustomersToday == 7)
    }

    @Test("simultaneous wrong guesses spread over two instances get no more password checks than the lockout allows")
    func throttleIsNotBypassedByAlternatingInstances() async throws {
        let lockoutAfter = 5
        let pair = try await Pair.open(lockoutAfter: lockoutAfter)
        defer { pair.directory.remove() }
        let answers = await withTaskGroup(of: String.self) { group in
            for index in 0..<40 {
                let instance = index % 2 == 0 ? pair.a : pair.b
                group.addTask {
                    do {
                        _ = try await instance.identity.login(
                            LoginRequest(
                                loginName: "mia", password: "guess-\(index)",
                                device: DeviceInfo(name: "phone \(index)", platform: "test")),
                            from: "203.0.113.\(index % 200 + 1)")
                        return "signed in"
                    } catch let error as ServerError {
                        return "\(error.code)"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            var answers: [String] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
        // Each guess that reached the password check and failed below the lockout is answered
        // invalidCredentials; the rest are refused as locked.
        let checkedBelowLockout = answers.filter { $0 == "\(ServerError.Code.invalidCredentials)" }.count
        #expect(!answers.contains("signed in"))
        #expect(
            checkedBelowLockout == lockoutAfter - 1,
            "\(checkedBelowLockout) guesses were checked and answered 'wrong password' with a lockout after \(lockoutAfter): \(answers.sorted())"
        )
        let stored = try await pair.b.storage.loginFailures(loginName: "mia", source: LoginFailures.unfamiliarSource)
        #expect(stored?.count == lockoutAfter, "the stored counter says \(stored?.count ?? 0) failures")
        // And the correct password is refused too: the account is locked on both instances.
        for instance in [pair.a, pair.b] {
            await #expect(throws: ServerError.self) {
                _ = try await instance.identity.login(
                    LoginRequest(
                        loginName: "mia", password: Pair.password, device: DeviceInfo(name: "x", platform: "test")),
                    from: "198.51.100.7")
            }
        }
    }

    @Test("each instance stamps the clock with its own node id, never the constant 'server'")
    func clockNodesDiffer() async throws {
        let pair = try await Pair.open()
        defer { pair.directory.remove() }
        #expect(pair.a.configuration.nodeId != "server")
        #expect(pair.a.sync.server.configuration.clockNode == pair.a.configuration.nodeId)
        var other = pair.a.configuration
        other.nodeId = "eu-west-2"
        let second = try ServerServices.open(configuration: other, logger: Logger(label: "instance-c"))
        #expect(second.sync.server.configuration.clockNode == "eu-west-2")
    }
}
