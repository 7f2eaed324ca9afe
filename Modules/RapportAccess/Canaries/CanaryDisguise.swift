import Foundation
import RapportModels

/// Makes a canary customer look like the customers around it, so that a rep who syncs their
/// book cannot strip the canaries with a structural test: every field that most of the
/// population carries is filled (a customer code in the population's pattern, profile fields,
/// dates, amounts), and the canary gets a history — contacts, interactions, orders … — of each
/// kind most of the population has, in the usual numbers, with dates between the canary's
/// creation and now.
///
/// Values come from the population's own shapes, drawn with the canary's deterministic
/// ``CanaryRandom``: categorical and ordinary values are taken from a donor record; amounts
/// are a donor's, scaled by 0.75–1.25; dates are redrawn; phones and e-mails are generated;
/// other sensitive or secret text is a donor's with every digit redrawn; codes and order
/// numbers keep a donor's pattern with new digits. History ids come from
/// ``CanaryGenerator/historyId(for:kind:number:)`` so they trace back like the canary.
///
/// ```swift
/// let disguise = CanaryDisguise(generator: generator, now: Date())
/// let fields = disguise.customer(canary, base: try customer.fieldMap(), like: ownersCustomers, takenCodes: codes)
/// for record in disguise.history(canary, customer: fields, like: ownersHistories) { … }
/// ```
public struct CanaryDisguise: Sendable {
    /// A history record to plant.
    public struct HistoryRecord: Sendable, Hashable {
        /// Its kind.
        public var kind: EntityKind
        /// Its id (derived from the canary).
        public var id: UUID
        /// Its fields, by registry path.
        public var fields: [String: JSONValue]
    }

    /// The generator whose secret seeds every draw.
    public let generator: CanaryGenerator
    /// Now: the latest date drawn.
    public let now: Date

    /// Creates a disguise over `generator` at `now`.
    public init(generator: CanaryGenerator, now: Date) {
        self.generator = generator
        self.now = now
    }

    /// Paths the server or the canary itself sets.
    static let fixed: Set<String> = ["id", "version", "deletedAt", "ownerId", "teamId", "customerId"]
    /// The most history records of one kind planted under a canary.
    public static let maximumHistoryPerKind = 5

    /// The canary customer's fields: `base` (its name, phone, e-mail, owner …) with every field
    /// that more than half of `population` carries filled in, categorical ones drawn from the
    /// population, and a code in a donor's pattern that none of `takenCodes` has.
    public func customer(
        _ canary: CanaryCustomer, base: [String: JSONValue], like population: [[String: JSONValue]],
        takenCodes: Set<String>
    ) -> [String: JSONValue] {
        var random = generator.random(for: canary, label: "customer")
        var fields = base
        let created = population.compactMap { Self.date($0["createdAt"]) }.sorted()
        let earliest = created.first ?? now.addingTimeInterval(-365 * 86_400)
        let createdAt = Self.draw(&random, from: earliest, to: max(earliest, now.addingTimeInterval(-14 * 86_400)))
        fields["createdAt"] = Self.encode(createdAt)
        fields["updatedAt"] = Self.encode(Self.draw(&random, from: createdAt, to: now))
        let scale = Self.scale(&random)
        for path in Self.usualPaths(population) where !Self.fixed.contains(path) && path != "kind" && path != "name" {
            let donors = population.compactMap { $0[path] }.filter(Self.isPresent)
            let categorical = FieldRegistry.descriptor(.customer, path).map(Self.isCategorical) ?? false
            guard !Self.isPresent(fields[path]) || categorical, path != "createdAt", path != "updatedAt" else {
                continue
            }
            if path == "code" {
                fields[path] = code(like: donors, taken: takenCodes, random: &random)
            } else if let value = fill(
                .customer, path, donors: donors, random: &random, at: createdAt, scale: scale, owner: canary.staffId)
            {
                fields[path] = value
            }
        }
        return fields
    }

    /// The history to plant under the canary: for each kind that more than half of the
    /// population's customers have (`histories`, one dictionary per customer), the median
    /// number of such records (1…``maximumHistoryPerKind``), modelled on donor records.
    public func history(
        _ canary: CanaryCustomer, customer: [String: JSONValue], like histories: [[EntityKind: [[String: JSONValue]]]]
    ) -> [HistoryRecord] {
        var random = generator.random(for: canary, label: "history")
        let createdAt = Self.date(customer["createdAt"]) ?? now.addingTimeInterval(-180 * 86_400)
        var planted: [HistoryRecord] = []
        // Contacts first, so interactions can name one.
        let kinds = EntityKind.allCases.filter { $0 != .customer }.sorted {
            ($0 == .contact ? 0 : 1, $0.rawValue) < ($1 == .contact ? 0 : 1, $1.rawValue)
        }
        for kind in kinds {
            let having = histories.compactMap { $0[kind] }.filter { !$0.isEmpty }
            guard having.count * 2 > histories.count else { continue }
            let counts = having.map(\.count).sorted()
            let count = min(max(counts[counts.count / 2], 1), Self.maximumHistoryPerKind)
            let donors = having.flatMap { $0 }
            let contact = planted.first { $0.kind == .contact }?.id
            for number in 0..<count {
                guard let donor = random.pick(donors) else { break }
                let at = Self.draw(&random, from: createdAt, to: now)
                let scale = Self.scale(&random)
                var fields: [String: JSONValue] = [:]
                for (path, value) in donor where !Self.fixed.contains(path) {
                    if !Self.isPresent(value) {
                        fields[path] = value  // an empty list or a null stays as the donor has it
                    } else if path == "name" {
                        fields[path] = .string(personName(&random))
                    } else if path == "contactId" {
                        if let contact { fields[path] = .string(contact.uuidString) }
                    } else if path == "number", case .string(let text) = value {
                        fields[path] = .string(random.redrawDigits(text))
                    } else if let filled = fill(
                        kind, path, donors: [value], random: &random, at: at, scale: scale, owner: canary.staffId)
                    {
                        fields[path] = filled
                    }
                }
                let id = generator.historyId(for: canary, kind: kind, number: number)
                fields["id"] = .string(id.uuidString)
                fields["customerId"] = .string(canary.id.uuidString)
                fields["ownerId"] = .string(canary.staffId.uuidString)
                planted.append(HistoryRecord(kind: kind, id: id, fields: fields))
            }
        }
        return planted
    }

    // MARK: - Values

    /// A value for `path` modelled on one of `donors`; timestamps become `at` and amounts are
    /// scaled by `scale` (one factor per record keeps its amounts in proportion: an outstanding
    /// balance stays within the invoiced amount).
    func fill(
        _ kind: EntityKind, _ path: String, donors: [JSONValue], random: inout CanaryRandom, at: Date, scale: Double,
        owner: UUID
    ) -> JSONValue? {
        guard let donor = random.pick(donors) else { return nil }
        let descriptor = FieldRegistry.descriptor(kind, path)
        if path == "createdBy" || path == "updatedBy" { return .string(owner.uuidString) }
        switch (descriptor?.valueType, donor) {
        case (.timestamp?, _):
            return Self.encode(at)
        case (.calendarDate?, .string(let text)):
            guard let date = CalendarDate(text) else { return donor }
            let year = date.year + random.within(-3...3)
            return .string(String(format: "%04d-%02d-%02d", year, random.within(1...12), random.within(1...28)))
        case (_, .int(let amount)) where descriptor?.valueType == .money || descriptor?.valueType == .integer:
            let step: Double = abs(amount) >= 1_000 ? 100 : 1
            return .int(Int64((Double(amount) * scale / step).rounded(.down)) * Int64(step))
        case (_, .double(let number)):
            return .double((number * scale * 100).rounded(.down) / 100)
        default:
            break
        }
        switch descriptor?.maskStyle {
        case .phone?: return Self.map(donor) { _ in .string(CanaryGenerator.mobile(&random)) }
        case .email?: return Self.map(donor) { _ in .string(email(&random)) }
        default: break
        }
        if let descriptor, descriptor.fieldClass != .ordinary, descriptor.valueType == .string,
            case .string(let text) = donor
        {
            return .string(random.redrawDigits(text))
        }
        return donor
    }

    /// A code in the pattern of one of `donors` that none of `taken` has: when the codes of
    /// that shape share a prefix and end in a number (`KH-240037`, `KH-240086`), a number between
    /// the lowest and highest in use, so the code sits inside the range issued (just above it
    /// when the range is full); else the donor's code with its digits redrawn.
    func code(like donors: [JSONValue], taken: Set<String>, random: inout CanaryRandom) -> JSONValue? {
        let patterns = donors.compactMap(\.stringValue).filter { $0.contains(where: \.isNumber) }
        guard let pattern = random.pick(patterns) else { return nil }
        let shape = { (code: String) in String(code.map { $0.isNumber ? "9" : $0 }) }
        let siblings = patterns.filter { shape($0) == shape(pattern) }
        var prefix = Substring(pattern)
        for code in siblings { prefix = prefix.prefix(zip(prefix, code).prefix { $0 == $1 }.count) }
        while prefix.last == "0" { prefix = prefix.dropLast() }  // zero padding belongs to the number
        let numbers = siblings.compactMap { Int($0.dropFirst(prefix.count)) }
        let width = pattern.count - prefix.count
        if numbers.count == siblings.count, let low = numbers.min(), let high = numbers.max(), width > 0 {
            let code = { (number: Int) -> String in String(prefix) + String(format: "%0\(width)ld", number) }
            for _ in 0..<48 {
                let candidate = code(random.within(low...high))
                if !taken.contains(candidate) { return .string(candidate) }
            }
            // A densely issued range: one of the next numbers, as a recent customer would have.
            var next = high + 1 + random.below(20)
            while taken.contains(code(next)) { next += 1 }
            if code(next).count == pattern.count { return .string(code(next)) }
        }
        for _ in 0..<64 {
            let candidate = random.redrawDigits(pattern)
            if !taken.contains(candidate) { return .string(candidate) }
        }
        return nil
    }

    /// A plausible Chinese personal name.
    func personName(_ random: inout CanaryRandom) -> String {
        (random.pick(CanaryGenerator.surnames)?.0 ?? "王") + (random.pick(CanaryGenerator.givenNames)?.0 ?? "伟")
            + (random.below(2) == 1 ? random.pick(CanaryGenerator.givenNames)?.0 ?? "" : "")
    }

    /// A plausible personal e-mail address.
    func email(_ random: inout CanaryRandom) -> String {
        let given = random.pick(CanaryGenerator.givenNames)?.1 ?? "li"
        let surname = random.pick(CanaryGenerator.surnames)?.1 ?? "wang"
        let domain = random.pick(CanaryGenerator.domains) ?? "qq.com"
        return given + "." + surname + String(random.within(10...9_999)) + "@" + domain
    }

    // MARK: - Helpers

    /// Paths carried (non-empty) by more than half of `population`.
    static func usualPaths(_ population: [[String: JSONValue]]) -> [String] {
        var counts: [String: Int] = [:]
        for fields in population {
            for (path, value) in fields where isPresent(value) { counts[path, default: 0] += 1 }
        }
        return counts.filter { $0.value * 2 > population.count }.keys.sorted()
    }

    /// Ordinary fields with a fixed set of values (status, tier, source channel, gender …).
    static func isCategorical(_ descriptor: FieldDescriptor) -> Bool {
        guard descriptor.fieldClass == .ordinary else { return false }
        switch descriptor.valueType {
        case .enumeration, .integerEnumeration, .bool: return true
        default: return false
        }
    }

    /// Whether a value is there: not null, not an empty string, list or object.
    public static func isPresent(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: false
        case .string(let text)?: !text.isEmpty
        case .array(let items)?: !items.isEmpty
        case .object(let members)?: !members.isEmpty
        default: true
        }
    }

    static func map(_ value: JSONValue, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        if case .array(let items) = value { return .array(items.map(transform)) }
        return transform(value)
    }

    /// A factor from 0.75 to 1.25 for a record's amounts.
    static func scale(_ random: inout CanaryRandom) -> Double { 0.75 + Double(random.below(51)) / 100 }

    static func draw(_ random: inout CanaryRandom, from start: Date, to end: Date) -> Date {
        let span = max(0, Int(end.timeIntervalSince(start)))
        return start.addingTimeInterval(TimeInterval(random.below(span + 1))).roundedToMilliseconds
    }

    static func date(_ value: JSONValue?) -> Date? {
        guard case .string(let text)? = value else { return nil }
        return try? RapportJSON.decoder().decode(Date.self, from: Data(JSONValue.string(text).jsonData()))
    }

    static func encode(_ date: Date) -> JSONValue {
        (try? JSONValue(parsing: RapportJSON.encoder().encode(date))) ?? .null
    }
}

extension Date {
    fileprivate var roundedToMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1_000).rounded(.down) / 1_000)
    }
}
