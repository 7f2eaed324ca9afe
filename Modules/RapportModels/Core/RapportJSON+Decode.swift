import Foundation

extension RapportJSON {
    /// Decodes `type` from JSON, reporting any problem as a ``ValidationError`` that names the
    /// field (as a registry path) and the rule, instead of a raw `DecodingError`.
    ///
    /// ```swift
    /// // {"status": "sleeping", ...}
    /// try RapportJSON.decode(Customer.self, from: data)
    /// // ValidationError: customer.status [enumValue]: 'sleeping' is not one of ...
    /// ```
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let subject = subjectName(of: type)
        do {
            return try decoder().decode(type, from: data)
        } catch var error as ValidationError {
            error.entity = subject
            error.field = registryPath(ofDotted: error.field, type: type)
            throw error
        } catch let error as DecodingError {
            throw validationError(for: error, subject: subject, type: type)
        }
    }

    static func subjectName<T>(of type: T.Type) -> String {
        if let entity = type as? any Entity.Type { return entity.kind.rawValue }
        let name = String(describing: type)
        guard let first = name.first else { return name }
        return first.lowercased() + name.dropFirst()
    }

    static func validationError<T>(for error: DecodingError, subject: String, type: T.Type)
        -> ValidationError
    {
        func make(_ path: [any CodingKey], _ rule: ValidationError.Rule, _ message: String)
            -> ValidationError
        {
            ValidationError(
                entity: subject, field: registryPath(of: path, type: type), rule: rule,
                message: message)
        }
        switch error {
        case .keyNotFound(let key, let context):
            let path = context.codingPath + [key]
            return make(
                path, .required,
                "'\(dotted(path))' is required; add it to the \(subject) before sending.")
        case .valueNotFound(_, let context):
            return make(
                context.codingPath, .required,
                "'\(dotted(context.codingPath))' must not be null; give it a value.")
        case .typeMismatch(let expected, let context):
            return make(
                context.codingPath, .type,
                "'\(dotted(context.codingPath))' has the wrong JSON type; expected \(jsonTypeName(expected)).")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return make(
                    [], .format, "The document is not valid JSON for a \(subject): \(context.debugDescription)")
            }
            return make(
                context.codingPath, .format,
                "'\(dotted(context.codingPath))' is malformed: \(context.debugDescription)")
        @unknown default:
            return make([], .format, "The \(subject) could not be read: \(error)")
        }
    }

    static func dotted(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue == "Index \(index)" || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// The registry path a coding path falls under: array indices dropped and, for entities,
    /// cut to the registered field (`individual.relationships[0].relation` → `individual.relationships`).
    static func registryPath<T>(of path: [any CodingKey], type: T.Type) -> String {
        let names = path.filter { key in
            guard let index = key.intValue else { return true }
            return !(key.stringValue == "Index \(index)" || key.stringValue == "\(index)")
        }.map(\.stringValue)
        return registryPath(ofComponents: names, type: type)
    }

    static func registryPath<T>(ofDotted path: String, type: T.Type) -> String {
        let names = path.split(separator: ".").map { component in
            String(component.prefix { $0 != "[" })
        }
        return registryPath(ofComponents: names, type: type)
    }

    private static func registryPath<T>(ofComponents names: [String], type: T.Type) -> String {
        guard let entity = type as? any Entity.Type, let first = names.first else {
            return names.joined(separator: ".")
        }
        if names.count >= 2 {
            let two = "\(first).\(names[1])"
            if first == FieldRegistry.customFieldsKey
                || FieldRegistry.descriptor(entity.kind, two) != nil
            {
                return two
            }
        }
        return first
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Date.Type, is UUID.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is Double.Type: "a number"
        default:
            if type is any Collection.Type { "an array" } else { "a JSON value of type \(type)" }
        }
    }
}
