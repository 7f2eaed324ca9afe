import Foundation
import RapportModels

extension AccessPolicy {
    /// Every rule that bears on whether `principal` may read `customer` at `now`, and the
    /// resulting decision (always the same as ``canRead(_:customer:now:)``).
    public func explain(_ principal: Principal, customer: CustomerAccessFacts, now: Date) -> AccessExplanation {
        let decision = canRead(principal, customer: customer, now: now)
        var access: [FieldClass: FieldAccess] = [:]
        for fieldClass in FieldClass.allCases { access[fieldClass] = fieldAccess(principal, fieldClass, now: now) }
        guard let profile = profiles[principal.staffId] else {
            return AccessExplanation(
                decision: decision,
                findings: [.init(rule: "principal", applies: true, detail: "no member of staff \(principal.staffId)")],
                fieldAccess: access)
        }
        var findings: [AccessExplanation.Finding] = []
        let status = profile.staff.status
        findings.append(
            .init(rule: "status", applies: !status.mayAccess, detail: "\(profile.staff.name) is \(status.rawValue)"))
        if let deviceId = principal.deviceId {
            let usable = profile.activeDevices.contains(deviceId)
            findings.append(
                .init(
                    rule: "device", applies: !usable,
                    detail: usable ? "device \(deviceId) is active" : "device \(deviceId) is revoked or not theirs"))
        }
        let roleNames = profile.roles.map(\.id.rawValue).joined(separator: ", ")
        findings.append(
            .init(
                rule: "roles", applies: profile.customerActions.contains(.read),
                detail: "roles [\(roleNames)] give scope \(Self.describe(profile.scope))"))
        for slot in profile.denyAll {
            findings.append(
                .init(
                    rule: "deny rule \(slot.id)", applies: slot.window.contains(now),
                    detail: "excludes every customer \(Self.describe(slot.window))"))
        }
        for slot in profile.deniedCustomers[customer.id] ?? [] {
            findings.append(
                .init(
                    rule: "deny rule \(slot.id)", applies: slot.window.contains(now),
                    detail: "excludes this customer \(Self.describe(slot.window))"))
        }
        for slot in profile.deniedSegments where slot.segment.matches(customer) {
            findings.append(
                .init(
                    rule: "deny rule \(slot.id)", applies: slot.window.contains(now),
                    detail: "excludes a segment this customer is in \(Self.describe(slot.window))"))
        }
        findings.append(
            .init(
                rule: "organisation scope", applies: profile.scope.contains(.organisation),
                detail: profile.scope.contains(.organisation)
                    ? "a role reaches every customer" : "no role reaches every customer"))
        if customer.isKey {
            let anchor = customer.keyAnchor
            let anchorName = staff(anchor)?.name ?? "\(anchor)"
            findings.append(
                .init(
                    rule: "key customer", applies: profile.keyAnchors.contains(anchor),
                    detail:
                        "key tier, anchored to \(anchorName) (\(customer.accountManagerId == nil ? "owner, no account manager" : "account manager")); visible to that person and the managers above their team"
                ))
        } else {
            let ownerName = staff(customer.ownerId)?.name ?? "\(customer.ownerId)"
            findings.append(
                .init(
                    rule: "owner", applies: profile.owners.contains(customer.ownerId),
                    detail: "owned by \(ownerName)"))
            findings.append(
                .init(
                    rule: "team", applies: customer.teamId.map(profile.teams.contains) ?? false,
                    detail:
                        "customer team \(customer.teamId.map { "\($0)" } ?? "none"); reachable teams: \(profile.teams.count)"
                ))
        }
        if profile.scope.contains(.assignedComplaints) {
            findings.append(
                .init(
                    rule: "assigned complaint", applies: customer.openComplaintAssignees.contains(profile.staff.id),
                    detail: "\(customer.openComplaintAssignees.count) open complaint assignment(s) on this customer"))
        }
        for slot in profile.customerGrants[customer.id] ?? [] {
            findings.append(
                .init(
                    rule: "grant \(slot.id)", applies: slot.window.contains(now),
                    detail: "names this customer \(Self.describe(slot.window))"))
        }
        for slot in profile.segmentGrants where slot.segment.matches(customer) {
            findings.append(
                .init(
                    rule: "grant \(slot.id)", applies: slot.window.contains(now) && slot.segment.reaches(customer),
                    detail: "covers a segment this customer is in \(Self.describe(slot.window))"
                        + (slot.segment.reaches(customer)
                            ? "" : "; key customers only through a segment naming the key tier")))
        }
        for slot in profile.breakGlass {
            findings.append(
                .init(
                    rule: "break-glass \(slot.id)", applies: slot.window.contains(now),
                    detail: "emergency read of every customer \(Self.describe(slot.window))"))
        }
        return AccessExplanation(decision: decision, findings: findings, fieldAccess: access)
    }

    static func describe(_ scope: RecordScope) -> String {
        var parts: [String] = []
        if scope.contains(.own) { parts.append("own") }
        if scope.contains(.team) { parts.append("team") }
        if scope.contains(.assignedComplaints) { parts.append("assignedComplaints") }
        if scope.contains(.organisation) { parts.append("organisation") }
        return parts.isEmpty ? "none" : parts.joined(separator: "+")
    }

    static func describe(_ window: TimeWindow) -> String {
        let formatter = ISO8601DateFormatter()
        let end = window.end == .distantFuture ? "no expiry" : "until \(formatter.string(from: window.end))"
        return "(from \(formatter.string(from: window.start)), \(end))"
    }
}
