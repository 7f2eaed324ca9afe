extension CustomFieldDefinition {
    /// The longest text a `text` field accepts.
    public static let maxTextLength = 2_000

    /// Checks the definition itself: key format, labels, and options that match the type.
    public func validate() throws {
        let check = Checker(entity: "customFieldDefinition")
        if !Self.isValidKey(key) {
            throw check.error(
                "key", .format,
                "Key '\(key)' is malformed; start with a lower-case letter and use letters, digits and _ (at most 64).")
        }
        try check.text(labelZh, "labelZh", max: 100)
        try check.text(labelEn, "labelEn", max: 100)
        switch type {
        case .choice, .multiChoice:
            if options.isEmpty {
                throw check.error(
                    "options", .required, "A \(type.rawValue) field needs at least one option; add one.")
            }
        default:
            if !options.isEmpty {
                throw check.error(
                    "options", .customFieldType,
                    "A \(type.rawValue) field has no options; remove them or make it a choice field.")
            }
        }
        for option in options {
            if !Self.isValidKey(option.key) {
                throw check.error(
                    "options", .format,
                    "Option key '\(option.key)' is malformed; start with a lower-case letter and use letters, digits and _."
                )
            }
            try check.text(option.labelZh, "options", max: 100)
            try check.text(option.labelEn, "options", max: 100)
        }
        try check.distinct(options.map(\.key), "options")
    }

    /// Checks one value against the definition. `null` is always accepted (it clears the field).
    ///
    /// Archived options stay valid, so records holding them still validate.
    public func validate(value: JSONValue) throws {
        let check = Checker(entity: entity.rawValue)
        func mismatch(_ expected: String) -> ValidationError {
            check.error(
                path, .customFieldType,
                "'\(path)' is a \(type.rawValue) field but got \(value.typeName); send \(expected).")
        }
        let optionKeys = Set(options.map(\.key))
        switch (type, value) {
        case (_, .null):
            return
        case (.text, .string(let text)):
            try check.length(text, path, max: Self.maxTextLength)
        case (.text, _):
            throw mismatch("a string")
        case (.number, .int):
            return
        case (.number, .double(let number)):
            if !number.isFinite { throw mismatch("a finite number") }
        case (.number, _):
            throw mismatch("a number")
        case (.bool, .bool):
            return
        case (.bool, _):
            throw mismatch("true or false")
        case (.date, .string(let text)):
            if CalendarDate(text) == nil {
                throw check.error(
                    path, .customFieldType, "'\(text)' in '\(path)' is not a date; write it as YYYY-MM-DD.")
            }
        case (.date, _):
            throw mismatch("a YYYY-MM-DD string")
        case (.choice, .string(let choice)):
            if !optionKeys.contains(choice) {
                throw unknownOption(choice, check)
            }
        case (.choice, _):
            throw mismatch("one option key as a string")
        case (.multiChoice, .array(let elements)):
            var seen = Set<String>()
            for element in elements {
                guard let choice = element.stringValue else { throw mismatch("an array of option keys") }
                if !optionKeys.contains(choice) { throw unknownOption(choice, check) }
                if !seen.insert(choice).inserted {
                    throw check.error(path, .duplicate, "'\(choice)' appears twice in '\(path)'; keep one.")
                }
            }
        case (.multiChoice, _):
            throw mismatch("an array of option keys")
        }
    }

    private func unknownOption(_ choice: String, _ check: Checker) -> ValidationError {
        check.error(
            path, .customFieldType,
            "'\(choice)' is not an option of '\(path)'; use one of: "
                + options.map(\.key).joined(separator: ", ") + ".")
    }
}
