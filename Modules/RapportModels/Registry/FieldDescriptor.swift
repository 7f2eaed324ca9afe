/// What the registry knows about one field: its path, class, merge policy, value type and mask.
public struct FieldDescriptor: Sendable, Hashable {
    /// The field's path: its JSON key, `group.key` inside a profile group
    /// (`individual.phones`), or `customFields.<key>`.
    public var path: String
    /// How carefully the value must be guarded.
    public var fieldClass: FieldClass
    /// How concurrent edits are merged.
    public var mergePolicy: MergePolicy
    /// The JSON shape of the value.
    public var valueType: FieldValueType
    /// How the value is hidden when the reader may not see ``fieldClass``.
    public var maskStyle: MaskStyle

    /// Creates a descriptor; the defaults describe an ordinary last-writer-wins field.
    public init(
        _ path: String, _ valueType: FieldValueType, fieldClass: FieldClass = .ordinary,
        mergePolicy: MergePolicy = .lastWriterWins, maskStyle: MaskStyle = .withhold
    ) {
        self.path = path
        self.valueType = valueType
        self.fieldClass = fieldClass
        self.mergePolicy = mergePolicy
        self.maskStyle = maskStyle
    }

    /// The profile group the field belongs to (`individual`), or `nil` for a top-level field.
    public var group: String? {
        guard let dot = path.firstIndex(of: ".") else { return nil }
        return String(path[..<dot])
    }

    /// Whether the field is a custom field (`customFields.<key>`).
    public var isCustomField: Bool { path.hasPrefix(FieldRegistry.customFieldsKey + ".") }
}
