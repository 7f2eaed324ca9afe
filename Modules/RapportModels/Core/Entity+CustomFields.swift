extension Entity {
    /// Checks every custom field value against its definition for this entity kind.
    ///
    /// A key with no definition throws ``ValidationError/Rule/unknownField``; a value of the wrong
    /// type or an unknown option throws ``ValidationError/Rule/customFieldType``. Values of archived
    /// definitions are still checked and accepted.
    public func validateCustomFields(against definitions: [CustomFieldDefinition]) throws {
        let own = Dictionary(
            definitions.filter { $0.entity == Self.kind }.map { ($0.key, $0) },
            uniquingKeysWith: { first, _ in first })
        for key in customFields.keys.sorted() {
            guard let definition = own[key] else {
                throw ValidationError(
                    Self.kind, field: FieldRegistry.customFieldsKey + "." + key, rule: .unknownField,
                    message:
                        "No custom field '\(key)' is defined for \(Self.kind.rawValue); define it first or remove the value."
                )
            }
            try definition.validate(value: customFields[key] ?? .null)
        }
    }

    /// Runs `validate()` and then ``validateCustomFields(against:)``.
    public func validate(customFieldDefinitions definitions: [CustomFieldDefinition]) throws {
        try validate()
        try validateCustomFields(against: definitions)
    }
}
