import Foundation

/// Maps a leaked phone number, e-mail address, name or customer id back to the member(s) of
/// staff whose canary it is, by re-deriving every person's canaries once.
///
/// ```swift
/// let tracer = CanaryTracer(generator: generator, staffIds: allStaffIds)
/// tracer.trace("+86 138 1234 5678")   // [CanaryMatch(staffId: …, index: 1, field: .phone)]
/// ```
public struct CanaryTracer: Sendable {
    private var byPhone: [String: [CanaryMatch]] = [:]
    private var byEmail: [String: [CanaryMatch]] = [:]
    private var byName: [String: [CanaryMatch]] = [:]
    private var byId: [UUID: [CanaryMatch]] = [:]
    /// Every canary considered.
    public let canaries: [CanaryCustomer]

    /// Derives `perStaff` canaries for each of `staffIds` (include departed staff: leaks surface late).
    public init(generator: CanaryGenerator, staffIds: some Sequence<UUID>, perStaff: Int = 3) {
        var all: [CanaryCustomer] = []
        for staffId in staffIds { all.append(contentsOf: generator.canaries(for: staffId, count: perStaff)) }
        canaries = all
        for canary in all {
            let match = { (field: CanaryMatch.Field) in
                CanaryMatch(staffId: canary.staffId, index: canary.index, field: field)
            }
            byPhone[Self.normalisedPhone(canary.phone), default: []].append(match(.phone))
            byEmail[Self.normalisedEmail(canary.email), default: []].append(match(.email))
            byName[canary.name, default: []].append(match(.name))
            byId[canary.id, default: []].append(match(.id))
        }
    }

    /// Whether `customerId` is one of the canaries.
    public func isCanary(_ customerId: UUID) -> Bool { byId[customerId] != nil }

    /// The canaries `value` identifies: phones compare by digits (a leading `86` country code is
    /// ignored), e-mails case-insensitively, names exactly after trimming, ids as UUIDs.
    public func trace(_ value: String) -> [CanaryMatch] {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let id = UUID(uuidString: trimmed) { return byId[id] ?? [] }
        if trimmed.contains("@") { return byEmail[Self.normalisedEmail(trimmed)] ?? [] }
        let phone = Self.normalisedPhone(trimmed)
        if phone.count >= 11, let found = byPhone[phone] { return found }
        return byName[trimmed] ?? []
    }

    /// Every canary whose phone, e-mail or id appears anywhere in `text` (a leaked spreadsheet,
    /// a CSV export, a page), strongest evidence first; names are not searched (too common).
    public func traceText(_ text: String) -> [CanaryMatch] {
        let lowered = text.lowercased()
        let digits = text.filter { $0.isASCII && $0.isNumber }
        var found: [CanaryMatch] = []
        for canary in canaries {
            if digits.contains(canary.phone) {
                found.append(CanaryMatch(staffId: canary.staffId, index: canary.index, field: .phone))
            } else if lowered.contains(canary.email.lowercased()) {
                found.append(CanaryMatch(staffId: canary.staffId, index: canary.index, field: .email))
            } else if lowered.contains(canary.id.uuidString.lowercased()) {
                found.append(CanaryMatch(staffId: canary.staffId, index: canary.index, field: .id))
            }
        }
        return found
    }

    static func normalisedPhone(_ phone: String) -> String {
        let digits = phone.filter { $0.isASCII && $0.isNumber }
        return digits.count == 13 && digits.hasPrefix("86") ? String(digits.dropFirst(2)) : digits
    }

    static func normalisedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
