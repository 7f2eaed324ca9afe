/// A record, field value or definition broke a rule; says which field, which rule and what to do.
///
/// `field` is the field's registry path (`name`, `individual.phones`, `customFields.region`),
/// or empty when the whole document is at fault. `rule` is a stable code clients may switch
/// on; `message` is for people.
///
/// ```swift
/// do { try customer.validate() } catch let error as ValidationError {
///     print(error.field, error.rule.code)   // "individual.emails" "emailFormat"
/// }
/// ```
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable rule code. New codes may be added, so do not switch over them exhaustively.
    public struct Rule: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String {
            case required, enumValue, emailFormat, phoneFormat, nonNegative, timestampOrder
            case customFieldType, profileMismatch, length, range, format, type, stageOrder
            case unknownField, duplicate, immutable
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The code as sent on the wire, e.g. `"emailFormat"`.
        public var code: String { base.rawValue }
        /// Same as ``code``.
        public var description: String { base.rawValue }

        /// The rule whose code is `code`, or `nil` if this version does not know it.
        public init?(code: String) {
            guard let base = Base(rawValue: code) else { return nil }
            self.base = base
        }

        /// A required field is missing or blank.
        public static let required = Rule(.required)
        /// A value is not one of the field's allowed values.
        public static let enumValue = Rule(.enumValue)
        /// An e-mail address is malformed.
        public static let emailFormat = Rule(.emailFormat)
        /// A phone number is neither a Chinese mobile number nor E.164.
        public static let phoneFormat = Rule(.phoneFormat)
        /// An amount or count is negative.
        public static let nonNegative = Rule(.nonNegative)
        /// A timestamp is earlier than one it must follow.
        public static let timestampOrder = Rule(.timestampOrder)
        /// A custom field value does not match its definition's type or options.
        public static let customFieldType = Rule(.customFieldType)
        /// A customer's profile does not match its kind.
        public static let profileMismatch = Rule(.profileMismatch)
        /// A text or list is too long or too short.
        public static let length = Rule(.length)
        /// A number is outside its allowed range.
        public static let range = Rule(.range)
        /// A value is malformed (date, UUID, code, key, JSON).
        public static let format = Rule(.format)
        /// A value has the wrong JSON type.
        public static let type = Rule(.type)
        /// A complaint stage change goes backwards or a stage has a timestamp it cannot have yet.
        public static let stageOrder = Rule(.stageOrder)
        /// A field path or custom field key is not known.
        public static let unknownField = Rule(.unknownField)
        /// A value appears twice where it must be unique.
        public static let duplicate = Rule(.duplicate)
        /// A value that may only be set once was changed.
        public static let immutable = Rule(.immutable)
    }

    /// The entity's wire name (an ``EntityKind`` raw value), or `customFieldDefinition`.
    public var entity: String
    /// The registry path of the offending field; empty for the document as a whole.
    public var field: String
    /// Which rule was broken.
    public var rule: Rule
    /// What is wrong and what to do about it, for people.
    public var message: String

    /// Creates an error for an entity kind.
    public init(_ entity: EntityKind, field: String, rule: Rule, message: String) {
        self.init(entity: entity.rawValue, field: field, rule: rule, message: message)
    }

    /// Creates an error for any named subject.
    public init(entity: String, field: String, rule: Rule, message: String) {
        self.entity = entity
        self.field = field
        self.rule = rule
        self.message = message
    }

    /// The entity kind, when ``entity`` names one.
    public var entityKind: EntityKind? { EntityKind(rawValue: entity) }

    /// `entity.field [rule]: message`.
    public var description: String {
        let subject = field.isEmpty ? entity : "\(entity).\(field)"
        return "\(subject) [\(rule.code)]: \(message)"
    }
}
