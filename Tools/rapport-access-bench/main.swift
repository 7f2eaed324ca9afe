// rapport-access-bench: single-record decision throughput and the cost of scope filtering.
//
//     swift run -c release --scratch-path .build-access rapport-access-bench
//
// Everything runs on one thread. Figures are recorded in Docs/Security.md.
// `rapport-access-bench decisions N` runs only the single-record part with N decisions (used to
// count heap allocations under valgrind: the total must not grow with N).

import Foundation
import RapportAccess
import RapportModels

if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--version" {
    print(RapportVersion.line(for: "rapport-access-bench"))
    exit(0)
}

/// A tiny deterministic generator so runs are comparable.
struct Mix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func uuid() -> UUID {
        let a = next()
        let b = next()
        return UUID(
            uuid: (
                UInt8(truncatingIfNeeded: a), UInt8(truncatingIfNeeded: a >> 8), UInt8(truncatingIfNeeded: a >> 16),
                UInt8(truncatingIfNeeded: a >> 24), UInt8(truncatingIfNeeded: a >> 32),
                UInt8(truncatingIfNeeded: a >> 40),
                0x40 | UInt8(truncatingIfNeeded: a >> 48) & 0x0F, UInt8(truncatingIfNeeded: a >> 56),
                0x80 | UInt8(truncatingIfNeeded: b) & 0x3F, UInt8(truncatingIfNeeded: b >> 8),
                UInt8(truncatingIfNeeded: b >> 16), UInt8(truncatingIfNeeded: b >> 24),
                UInt8(truncatingIfNeeded: b >> 32),
                UInt8(truncatingIfNeeded: b >> 40), UInt8(truncatingIfNeeded: b >> 48),
                UInt8(truncatingIfNeeded: b >> 56)
            ))
    }
}

let now = Date(timeIntervalSince1970: 1_749_520_800)
let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// An organisation of `teams` teams in a tree of depth ≤ 4, `staffPerTeam` people each (the first
/// a manager), a few grants and deny rules.
func organisation(teams teamCount: Int, staffPerTeam: Int, rng: inout Mix) -> Organisation {
    var teams: [Team] = []
    for index in 0..<teamCount {
        teams.append(Team(id: rng.uuid(), name: "T\(index)", parentId: index == 0 ? nil : teams[(index - 1) / 4].id))
    }
    var staff: [Staff] = []
    for team in teams {
        for member in 0..<staffPerTeam {
            staff.append(
                Staff(id: rng.uuid(), name: "S", teamId: team.id, roles: member == 0 ? [.manager] : [.salesRep]))
        }
    }
    staff.append(Staff(id: rng.uuid(), name: "Admin", teamId: teams[0].id, roles: [.admin]))
    var grants: [AccessGrant] = []
    for _ in 0..<(staff.count / 10) {
        grants.append(
            AccessGrant(
                id: rng.uuid(), granteeId: staff[rng.below(staff.count)].id,
                target: .segment(CustomerSegment(tag: "expo")), reason: "bench", grantorId: staff.last!.id,
                createdAt: now.addingTimeInterval(-86_400), expiresAt: now.addingTimeInterval(86_400)))
    }
    let denies = (0..<20).map { _ in
        DenyRule(
            id: rng.uuid(), staffId: staff[rng.below(staff.count)].id, target: .customer(rng.uuid()), reason: "bench",
            createdBy: staff.last!.id, createdAt: now.addingTimeInterval(-3_600))
    }
    return Organisation(staff: staff, teams: teams, grants: grants, denyRules: denies)
}

/// `count` customers, each owned by a random sales rep; every `keyEvery`-th is a key customer.
func customers(_ count: Int, of organisation: Organisation, rng: inout Mix) -> [CustomerAccessFacts] {
    let reps = organisation.staff.filter { $0.roles.contains(.salesRep) }
    var result: [CustomerAccessFacts] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        let owner = reps[rng.below(reps.count)]
        let tier: ValueTier = index % 20 == 0 ? .key : index % 3 == 0 ? .small : .normal
        result.append(
            CustomerAccessFacts(
                id: rng.uuid(), ownerId: owner.id, teamId: owner.teamId, tier: tier,
                accountManagerId: tier == .key ? reps[rng.below(reps.count)].id : nil,
                tags: index % 50 == 0 ? ["expo"] : []))
    }
    return result
}

// MARK: - 1. Single-record decisions

var rng = Mix(state: 42)
let org = organisation(teams: 85, staffPerTeam: 12, rng: &rng)
let policy = AccessPolicy(org)
let base = customers(100_000, of: org, rng: &rng)
let principals = org.staff.map { Principal(staffId: $0.id) }
let pairs = 1 << 16
var probeP: [Principal] = []
var probeC: [CustomerAccessFacts] = []
for _ in 0..<pairs {
    probeP.append(principals[rng.below(principals.count)])
    // Half the probes hit a customer the principal owns, so both outcomes are measured.
    let customer = base[rng.below(base.count)]
    probeC.append(customer)
}
for index in stride(from: 0, to: pairs, by: 2) {
    probeC[index].ownerId = probeP[index].staffId
}

print(
    "rapport-access-bench — one thread, \(org.staff.count) staff, \(org.teams.count) teams, \(org.grants.count) grants")
print("")
let arguments = CommandLine.arguments
let decisionsOnly = arguments.count >= 3 && arguments[1] == "decisions"
var allowed = 0
let decisions = decisionsOnly ? Int(arguments[2]) ?? 1_000_000 : 8_000_000
let started = clock.now
for round in 0..<decisions {
    let index = round & (pairs - 1)
    if policy.canRead(probeP[index], customer: probeC[index], now: now).isAllowed { allowed += 1 }
}
let elapsed = seconds(clock.now - started)
print(
    String(
        format: "single-record canRead: %.2f M decisions/s (%.0f ns each, %d%% allowed, %d decisions)",
        Double(decisions) / elapsed / 1e6, elapsed / Double(decisions) * 1e9, allowed * 100 / decisions, decisions))

// MARK: - 2. Scope filtering: small vs large customer base, same visible set

if decisionsOnly { exit(0) }

/// A base of `size` customers in which the rep always owns 100 and the manager's subtree always
/// holds 2,000; every other customer belongs to reps outside that subtree.
func focusedBase(_ size: Int, rep: Staff, subtreeReps: [Staff], outsideReps: [Staff]) -> [CustomerAccessFacts] {
    var local = Mix(state: 7)
    var facts: [CustomerAccessFacts] = []
    facts.reserveCapacity(size)
    for index in 0..<size {
        let owner: Staff =
            index < 100
            ? rep
            : index < 2_000
                ? subtreeReps[local.below(subtreeReps.count)]
                : outsideReps[local.below(outsideReps.count)]
        let tier: ValueTier = index % 20 == 0 ? .key : index % 3 == 0 ? .small : .normal
        facts.append(
            CustomerAccessFacts(
                id: local.uuid(), ownerId: owner.id, teamId: owner.teamId, tier: tier,
                accountManagerId: tier == .key ? owner.id : nil, tags: index % 50 == 0 ? ["expo"] : []))
    }
    return facts
}

let manager = org.staff.first { $0.roles.contains(.manager) && $0.teamId == org.teams[1].id }!
let managerScope = policy.scope(for: Principal(staffId: manager.id), now: now)
let subtreeReps = org.staff.filter {
    $0.roles.contains(.salesRep)
        && managerScope.matches(CustomerAccessFacts(id: UUID(), ownerId: $0.id, teamId: $0.teamId))
}
let outsideReps = org.staff.filter {
    $0.roles.contains(.salesRep)
        && !managerScope.matches(CustomerAccessFacts(id: UUID(), ownerId: $0.id, teamId: $0.teamId))
}
let rep = subtreeReps[0]
print("")
print(
    "scope listing: CustomerFactsIndex.select (index lookups) vs filtering every customer with ScopePredicate.matches")
print("     base | who     | visible | indexed µs | ns/visible | full scan ms")
for size in [10_000, 100_000, 1_000_000] {
    let facts = focusedBase(size, rep: rep, subtreeReps: subtreeReps, outsideReps: outsideReps)
    let index = CustomerFactsIndex(facts)
    for (label, person) in [("rep", rep), ("manager", manager)] {
        let scope = policy.scope(for: Principal(staffId: person.id), now: now)
        let repeats = 200
        var visible = 0
        let t0 = clock.now
        for _ in 0..<repeats { visible = index.select(scope).count }
        let indexed = seconds(clock.now - t0) / Double(repeats)
        let t1 = clock.now
        let scanned = facts.reduce(0) { $0 + (scope.matches($1) ? 1 : 0) }
        let scan = seconds(clock.now - t1)
        precondition(scanned == visible, "index and scan disagree")
        let who = label.padding(toLength: 7, withPad: " ", startingAt: 0)
        print(
            String(format: "%9d | ", size) + who
                + String(
                    format: " | %7d | %10.1f | %10.0f | %12.1f", visible, indexed * 1e6,
                    indexed * 1e9 / Double(max(visible, 1)), scan * 1e3))
    }
}
