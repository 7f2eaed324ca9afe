/// An organisation-defined field on one entity kind; values live in the record's `customFields`.
///
/// Offline clients cannot migrate schemas, so custom fields are values in a JSON map keyed by
/// the definition's ``key``, merged key by key. Keys are immutable and never reused; archiving
/// hides a field without deleting its values. The definition's ``fieldClass`` classifies the
/// values (path `customFields.<key>`) for access control.
///
/// ```swift
/// let region = CustomFieldDefinition(
///     entity: .customer, key: "region", labelZh: "区域", labelEn: "Region", type: .choice,
///     options: [.init(key: "east", labelZh: "华东", labelEn: "East")])
/// try region.validate(value: "east")
/// ```
public struct CustomFieldDefinition: Codable, Sendable, Hashable {
    /// The type of value a custom field holds.
    public enum FieldType: String, WireEnum {
        /// A string of at most 2,000 characters.
        case text
        /// A JSON number.
        case number
        /// A JSON boolean.
        case bool
        /// A calendar date string, `YYYY-MM-DD`.
        case date
        /// One option key, as a string.
        case choice
        /// An array of distinct option keys; merged as a set.
        case multiChoice
    }

    /// One choice of a `choice` or `multiChoice` field.
    public struct Option: Codable, Sendable, Hashable {
        /// The stable key stored in values; never changes or is reused.
        public let key: String
        /// The Chinese label.
        public var labelZh: String
        /// The English label.
        public var labelEn: String
        /// Whether the option is hidden from new input; existing values stay valid.
        public var archived: Bool

        /// Creates an option.
        public init(key: String, labelZh: String, labelEn: String, archived: Bool = false) {
            self.key = key
            self.labelZh = labelZh
            self.labelEn = labelEn
            self.archived = archived
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case key, labelZh, labelEn, archived
        }
    }

    /// The entity kind the field belongs to.
    public let entity: EntityKind
    /// The immutable key values are stored under (`customFields.<key>`).
    public let key: String
    /// The Chinese label.
    public var labelZh: String
    /// The English label.
    public var labelEn: String
    /// The type of value.
    public let type: FieldType
    /// The options of a `choice` or `multiChoice` field; empty otherwise.
    public var options: [Option]
    /// How carefully values must be guarded.
    public var fieldClass: FieldClass
    /// Whether the field is hidden from new input; existing values are kept.
    public var archived: Bool

    /// Creates a definition.
    public init(
        entity: EntityKind, key: String, labelZh: String, labelEn: String, type: FieldType,
        options: [Option] = [], fieldClass: FieldClass = .ordinary, archived: Bool = false
    ) {
        self.entity = entity
        self.key = key
        self.labelZh = labelZh
        self.labelEn = labelEn
        self.type = type
        self.options = options
        self.fieldClass = fieldClass
        self.archived = archived
    }

    /// The field's path in a field map: `customFields.<key>`.
    public var path: String { FieldRegistry.customFieldsKey + "." + key }

    /// The registry descriptor of the field's values.
    public var descriptor: FieldDescriptor {
        let valueType: FieldValueType =
            switch type {
            case .text: .string
            case .number: .number
            case .bool: .bool
            case .date: .calendarDate
            case .choice: .enumeration(options.map(\.key))
            case .multiChoice: .stringSet
            }
        return FieldDescriptor(
            path, valueType, fieldClass: fieldClass,
            mergePolicy: type == .multiChoice ? .setUnion : .lastWriterWins)
    }

    /// Whether `key` is a well-formed key: a lower-case ASCII letter, then up to 63 ASCII
    /// letters, digits or `_`.
    public static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, key.unicodeScalars.count <= 64,
            ("a"..."z").contains(first)
        else { return false }
        return key.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || scalar == "_"
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case entity, key, labelZh, labelEn, type, options, fieldClass, archived
    }
}
