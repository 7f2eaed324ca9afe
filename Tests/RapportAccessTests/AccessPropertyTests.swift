import Foundation
import PropertyBased
import RapportAccess
import RapportModels
import RapportTesting
import Testing

/// Three questions, one truth: over generated organisations, the scope listing, the indexed
/// listing and the single-record check agree for every principal, record and instant.
@Suite("Access properties over generated organisations")
struct AccessPropertyTests {
    static let seeds = Gen.int(in: 0...Int(Int32.max)).map { UInt64($0) }
    static let staffCounts = Gen.int(in: 1...14)
    static let customerCounts = Gen.int(in: 0...45)

    @Test("every listed customer is readable and every readable customer is listed, at every boundary")
    func listingAgreesWithCheck() async {
        await propertyCheck(count: 30, input: Self.seeds, Self.staffCounts, Self.customerCounts) {
            seed, staff, customers in
            let world = AccessFixtures.world(seed: seed, staffCount: staff, customerCount: customers)
            let policy = AccessPolicy(world.organisation)
            let index = CustomerFactsIndex(world.customers)
            for now in world.interestingInstants {
                for principal in world.principals {
                    let scope = policy.scope(for: principal, now: now)
                    let listed = Set(index.select(scope).map(\.id))
                    for customer in world.customers {
                        let check = policy.canRead(principal, customer: customer, now: now)
                        #expect(
                            scope.matches(customer) == check.isAllowed,
                            "seed \(seed): predicate and check disagree for \(principal) on \(customer.id) at \(now): \(check)"
                        )
                        #expect(
                            listed.contains(customer.id) == check.isAllowed, "seed \(seed): index listing disagrees")
                        #expect(policy.explain(principal, customer: customer, now: now).decision == check)
                    }
                }
            }
        }
    }

    @Test("a grant works from its start until the instant before its expiry, and adds nothing at or after expiry")
    func grantsStopAtExpiry() async {
        await propertyCheck(count: 40, input: Self.seeds, Self.staffCounts, Self.customerCounts) {
            seed, staff, customers in
            let world = AccessFixtures.world(seed: seed, staffCount: staff, customerCount: customers)
            var bare = world.organisation
            bare.grants = []
            let withoutGrants = AccessPolicy(bare)
            for grant in world.organisation.grants {
                var single = bare
                single.grants = [grant]
                let withGrant = AccessPolicy(single)
                let principal = Principal(staffId: grant.granteeId)
                let end = grant.effectiveWindow.end
                let before = end.addingTimeInterval(-0.001)
                for customer in world.customers {
                    for instant in [end, end.addingTimeInterval(86_400), grant.createdAt.addingTimeInterval(-0.001)] {
                        #expect(
                            withGrant.canRead(principal, customer: customer, now: instant)
                                == withoutGrants.canRead(principal, customer: customer, now: instant),
                            "seed \(seed): grant \(grant.id) has an effect outside its window at \(instant)")
                    }
                    let base = withoutGrants.canRead(principal, customer: customer, now: before)
                    let reachable = [DecisionReason.outsideScope, .keyCustomerRestricted].contains(base.reason)
                    if grant.isEffective(at: before), grant.permissions.contains(.read), reachable,
                        Self.covers(grant, customer)
                    {
                        let decision = withGrant.canRead(principal, customer: customer, now: before)
                        #expect(decision.isAllowed, "seed \(seed): grant \(grant.id) did not work before expiry")
                        #expect([DecisionReason.customerGrant, .segmentGrant, .breakGlass].contains(decision.reason))
                    }
                }
            }
        }
    }

    static func covers(_ grant: AccessGrant, _ customer: CustomerAccessFacts) -> Bool {
        switch grant.target {
        case .customer(let id): customer.id == id
        case .segment(let segment): segment.matches(customer) && (segment.tier == .key || !customer.isKey)
        case .organisation: grant.kind == .breakGlass
        }
    }

    @Test("no masked value appears anywhere in the encoded output for that principal")
    func maskedValuesNeverLeak() async throws {
        await propertyCheck(count: 25, input: Self.seeds, Self.staffCounts, Gen.int(in: 1...20)) {
            seed, staff, customers in
            let world = AccessFixtures.world(seed: seed, staffCount: staff, customerCount: customers)
            let policy = AccessPolicy(world.organisation)
            let encoder = RapportJSON.encoder()
            var probed = 0
            for principal in world.principals {
                for customer in world.customers {
                    let fields = world.fieldMaps[customer.id] ?? [:]
                    let masked = policy.mask(fields, kind: .customer, for: principal, now: world.now)
                    let output = try encoder.encode(masked)
                    let clear = Self.clearPaths(policy, principal, fields, now: world.now)
                    // A value the principal legitimately receives through a clear field is no leak.
                    let seen = Set(fields.filter { clear.contains($0.key) }.values.flatMap(Self.probes))
                    for (path, value) in fields where !clear.contains(path) {
                        for probe in Self.probes(value) where !seen.contains(probe) {
                            probed += 1
                            #expect(
                                output.firstRange(of: Data(probe.utf8)) == nil,
                                "seed \(seed): \(path) leaked to \(principal.staffId)")
                        }
                        if let sent = masked.fields[path] {
                            #expect(masked.maskedPaths.contains(path) || sent.isNull)
                        }
                    }
                    // Errors and decisions carry no values either.
                    let reason = "\(policy.canRead(principal, customer: customer, now: world.now))"
                    for (path, value) in fields where !clear.contains(path) {
                        for probe in Self.probes(value) { #expect(!reason.contains(probe), "\(path) in a decision") }
                    }
                }
            }
            #expect(probed > 0, "seed \(seed): nothing was checked")
        }
    }

    /// Paths `principal` may receive in clear.
    static func clearPaths(_ policy: AccessPolicy, _ principal: Principal, _ fields: [String: JSONValue], now: Date)
        -> Set<String>
    {
        Set(
            fields.keys.filter { path in
                let fieldClass = FieldRegistry.descriptor(.customer, path)?.fieldClass ?? .sensitive
                return policy.fieldAccess(principal, fieldClass, now: now) == .full
            })
    }

    /// The searchable fragments of a value: every string of 6+ characters and every number of
    /// 6+ digits inside it.
    static func probes(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): text.count >= 6 ? [text] : []
        case .int(let number): String(number).count >= 6 ? [String(number)] : []
        case .double(let number): [String(number)].filter { $0.count >= 6 }
        case .array(let items): items.flatMap(probes)
        case .object(let members): members.values.flatMap(probes)
        case .null, .bool: []
        }
    }
}
