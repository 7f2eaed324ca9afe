import Foundation

/// Shared validation steps; each throws a ``ValidationError`` naming the field and rule.
struct Checker {
    let entity: String

    init(_ kind: EntityKind) { entity = kind.rawValue }
    init(entity: String) { self.entity = entity }

    func error(_ field: String, _ rule: ValidationError.Rule, _ message: String) -> ValidationError {
        ValidationError(entity: entity, field: field, rule: rule, message: message)
    }

    /// A required text: not blank, at most `max` characters.
    func text(_ value: String, _ field: String, max: Int) throws {
        if value.allSatisfy(\.isWhitespace) {
            throw error(field, .required, "'\(field)' is required; enter a value that is not blank.")
        }
        try length(value, field, max: max)
    }

    /// An optional text: if present, not blank and at most `max` characters.
    func text(_ value: String?, _ field: String, max: Int) throws {
        guard let value else { return }
        if value.allSatisfy(\.isWhitespace) {
            throw error(field, .length, "'\(field)' is blank; remove it (send null) or give it a value.")
        }
        try length(value, field, max: max)
    }

    func length(_ value: String, _ field: String, max: Int) throws {
        if value.count > max {
            throw error(
                field, .length, "'\(field)' has \(value.count) characters; shorten it to at most \(max).")
        }
    }

    /// A list of short texts: at most `maxCount` entries, each non-blank and at most `maxLength`.
    func list(_ values: [String], _ field: String, maxCount: Int = 50, maxLength: Int = 100) throws {
        if values.count > maxCount {
            throw error(
                field, .length, "'\(field)' has \(values.count) entries; keep at most \(maxCount).")
        }
        for value in values {
            if value.allSatisfy(\.isWhitespace) {
                throw error(field, .required, "'\(field)' contains a blank entry; remove it.")
            }
            try length(value, field, max: maxLength)
        }
    }

    func nonNegative<N: BinaryInteger>(_ value: N?, _ field: String) throws {
        if let value, value < 0 {
            throw error(field, .nonNegative, "'\(field)' is \(value); it must be zero or more.")
        }
    }

    func range<N: BinaryInteger>(_ value: N?, _ field: String, _ allowed: ClosedRange<N>) throws {
        if let value, !allowed.contains(value) {
            throw error(
                field, .range,
                "'\(field)' is \(value); it must be between \(allowed.lowerBound) and \(allowed.upperBound).")
        }
    }

    func emails(_ values: [String], _ field: String) throws {
        try list(values, field, maxCount: 10, maxLength: 254)
        for value in values where !EmailAddress.isValid(value) {
            throw error(
                field, .emailFormat, "'\(value)' in '\(field)' is not an e-mail address; write it as name@example.com.")
        }
        try distinct(values.map { $0.lowercased() }, field)
    }

    func phones(_ values: [String], _ field: String) throws {
        try list(values, field, maxCount: 10, maxLength: 32)
        for value in values { try phone(value, field) }
        try distinct(values.compactMap(PhoneNumber.normalized), field)
    }

    func phone(_ value: String?, _ field: String) throws {
        guard let value else { return }
        if !PhoneNumber.isValid(value) {
            throw error(
                field, .phoneFormat,
                "'\(value)' in '\(field)' is not a phone number; use a Chinese mobile number (13800138000, optionally +86) or E.164 (+442071838750)."
            )
        }
    }

    func distinct(_ values: [String], _ field: String) throws {
        var seen = Set<String>()
        for value in values where !seen.insert(value).inserted {
            throw error(field, .duplicate, "'\(value)' appears twice in '\(field)'; keep one.")
        }
    }

    /// `later` must not be before `earlier` (when both are present).
    func notBefore(_ later: Date?, _ field: String, _ earlier: Date?, _ earlierField: String) throws {
        if let later, let earlier, later < earlier {
            throw error(
                field, .timestampOrder,
                "'\(field)' (\(RapportJSON.string(from: later))) is before '\(earlierField)' (\(RapportJSON.string(from: earlier))); correct one of them."
            )
        }
    }

    /// `later` must be strictly after `earlier`.
    func after(_ later: Date, _ field: String, _ earlier: Date, _ earlierField: String) throws {
        if later <= earlier {
            throw error(
                field, .timestampOrder,
                "'\(field)' (\(RapportJSON.string(from: later))) must be after '\(earlierField)' (\(RapportJSON.string(from: earlier)))."
            )
        }
    }

    /// The record fields every entity has.
    func record(_ record: some Entity) throws {
        try nonNegative(record.version, "version")
        try notBefore(record.updatedAt, "updatedAt", record.createdAt, "createdAt")
        try notBefore(record.deletedAt, "deletedAt", record.createdAt, "createdAt")
        try customFieldKeys(record.customFields)
    }

    func customFieldKeys(_ values: [String: JSONValue]) throws {
        for key in values.keys.sorted() where !CustomFieldDefinition.isValidKey(key) {
            throw error(
                FieldRegistry.customFieldsKey + "." + key, .format,
                "Custom field key '\(key)' is malformed; keys start with a lower-case letter and use letters, digits and _ (at most 64)."
            )
        }
    }
}
