import Foundation

/// Maps a leaked value back to the member(s) of staff whose canary it is, by re-deriving every
/// person's canaries once: full or masked phone numbers and e-mail addresses (the masked forms
/// are what a rep's device receives), customer ids, names, and — given what was planted —
/// customer codes and the ids of the history records planted under each canary.
///
/// Every match says how strong it is (``CanaryMatch/Strength``) and how many canaries share
/// the value: a masked phone keeps three and four digits, so with many staff several
/// canaries may share one, and all of them are returned.
///
/// ```swift
/// let tracer = CanaryTracer(generator: generator, staffIds: allStaffIds)
/// tracer.trace("+86 138 1234 5678")   // [CanaryMatch(staffId: …, index: 1, field: .phone, strength: .conclusive)]
/// tracer.trace("138****5678")         // every canary with that mask, .strong when only one
/// ```
public struct CanaryTracer: Sendable {
    private var exact: [String: [CanaryMatch]] = [:]
    private var byName: [String: [CanaryMatch]] = [:]
    private var byId: [UUID: [CanaryMatch]] = [:]
    /// Every canary considered.
    public let canaries: [CanaryCustomer]

    /// Derives `perStaff` canaries for each of `staffIds` (include departed staff: leaks surface
    /// late). `codes` (code → canary customer id) and `history` (history record id → canary
    /// customer id) are what was planted; they make codes and history ids traceable.
    public init(
        generator: CanaryGenerator, staffIds: some Sequence<UUID>, perStaff: Int = 3, codes: [String: UUID] = [:],
        history: [UUID: UUID] = [:]
    ) {
        var all: [CanaryCustomer] = []
        for staffId in staffIds { all.append(contentsOf: generator.canaries(for: staffId, count: perStaff)) }
        canaries = all
        let byCustomer = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var keyed: [String: [(CanaryCustomer, CanaryMatch.Field)]] = [:]
        for canary in all {
            keyed[Self.phoneKey(canary.phone), default: []].append((canary, .phone))
            keyed[Self.normalisedEmail(canary.email), default: []].append((canary, .email))
            keyed[Self.maskedPhoneKey(ValueMasker.maskPhone(canary.phone)) ?? "", default: []].append(
                (canary, .maskedPhone))
            keyed[Self.normalisedEmail(ValueMasker.maskEmail(canary.email)), default: []].append((canary, .maskedEmail))
            byName[canary.name, default: []].append(
                CanaryMatch(staffId: canary.staffId, index: canary.index, field: .name))
            byId[canary.id, default: []].append(CanaryMatch(staffId: canary.staffId, index: canary.index, field: .id))
        }
        for (code, customerId) in codes {
            if let canary = byCustomer[customerId] {
                keyed["code:" + code.lowercased(), default: []].append((canary, .code))
            }
        }
        for (recordId, customerId) in history {
            if let canary = byCustomer[customerId] {
                byId[recordId, default: []].append(
                    CanaryMatch(staffId: canary.staffId, index: canary.index, field: .history))
            }
        }
        for (key, found) in keyed where !key.isEmpty {
            exact[key] = found.map { canary, field in
                CanaryMatch(staffId: canary.staffId, index: canary.index, field: field, candidates: found.count)
            }
        }
        for (name, found) in byName {
            byName[name] = found.map {
                CanaryMatch(staffId: $0.staffId, index: $0.index, field: .name, candidates: found.count)
            }
        }
    }

    /// Whether `customerId` is one of the canaries.
    public func isCanary(_ customerId: UUID) -> Bool { byId[customerId]?.contains { $0.field == .id } ?? false }

    /// The canaries `value` identifies: ids (customer or planted history); phones by digits (a
    /// leading `86` ignored) or masked (`138****5678`, spaces allowed); e-mails, full or masked,
    /// case-insensitively; codes; names exactly after trimming.
    public func trace(_ value: String) -> [CanaryMatch] {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let id = UUID(uuidString: trimmed) { return byId[id] ?? [] }
        if trimmed.contains("@") { return exact[Self.normalisedEmail(trimmed)] ?? [] }
        if let masked = Self.maskedPhoneKey(trimmed), let found = exact[masked] { return found }
        let phone = Self.phoneKey(trimmed)
        if phone.count >= 11, let found = exact[phone] { return found }
        if let found = exact["code:" + trimmed.lowercased()] { return found }
        return byName[trimmed] ?? []
    }

    /// Every canary whose phone, e-mail, id, code or history id — full or masked — appears
    /// anywhere in `text` (a leaked spreadsheet, a CSV export, a page), strongest first; names
    /// are not searched (too common).
    public func traceText(_ text: String) -> [CanaryMatch] {
        var found: [CanaryMatch] = []
        let digits = text.filter { $0.isASCII && $0.isNumber }
        for (key, matches) in exact where key.hasPrefix("1") && key.count == 11 && digits.contains(key) {
            found += matches
        }
        for token in text.split(whereSeparator: { $0.isWhitespace || ",;\"'<>()[]{}|\t".contains($0) }) {
            let word = String(token)
            if word.contains("@") || word.contains("*") || UUID(uuidString: word) != nil
                || exact["code:" + word.lowercased()] != nil
            {
                found += trace(word).filter { $0.field != .phone && $0.field != .name }
            }
        }
        var seen = Set<CanaryMatch>()
        return found.filter { seen.insert($0).inserted }.sorted {
            ($0.strength, $0.candidates) < ($1.strength, $1.candidates)
        }
    }

    /// Digits only, a leading `86` country code dropped from 13-digit numbers.
    static func phoneKey(_ phone: String) -> String {
        let digits = phone.filter { $0.isASCII && $0.isNumber }
        return digits.count == 13 && digits.hasPrefix("86") ? String(digits.dropFirst(2)) : digits
    }

    /// `138****5678` (spaces and dashes allowed) as `138*5678`; `nil` when not a masked phone.
    static func maskedPhoneKey(_ text: String) -> String? {
        let kept = text.filter { ($0.isASCII && $0.isNumber) || $0 == "*" }
        guard let star = kept.firstIndex(of: "*"), let lastStar = kept.lastIndex(of: "*") else { return nil }
        let head = kept[..<star]
        let tail = kept[kept.index(after: lastStar)...]
        guard kept[star...lastStar].allSatisfy({ $0 == "*" }), head.count + tail.count >= 4 else { return nil }
        return head + "*" + tail
    }

    static func normalisedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
