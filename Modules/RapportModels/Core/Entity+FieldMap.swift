import Foundation

extension Entity {
    /// The record as a flat map from registry path to value, for field-level sync and masking.
    ///
    /// Top-level fields use their JSON key; fields of a profile group use `group.key`
    /// (`individual.phones`); custom fields use `customFields.<key>`. Every registered field of
    /// the record and of each profile group that is present appears, absent values as `.null`;
    /// the paths of an absent profile group do not appear. Dates are ISO-8601 strings.
    ///
    /// ```swift
    /// let fields = try customer.fieldMap()
    /// fields["individual.phones"]   // ["13800138000"]
    /// ```
    public func fieldMap() throws -> [String: JSONValue] {
        let value = try JSONValue(parsing: RapportJSON.encoder().encode(self))
        return try FieldMapCoding.flatten(value, kind: Self.kind)
    }

    /// Rebuilds a record from a map made by ``fieldMap()`` (or one edited path by path).
    ///
    /// A path that is neither registered nor a custom field throws
    /// ``ValidationError/Rule/unknownField``; a missing required field throws
    /// ``ValidationError/Rule/required``. A profile group is present when any of its paths is.
    /// The result is not validated; call `validate()`.
    public static func from(fieldMap: [String: JSONValue]) throws -> Self {
        let object = try FieldMapCoding.unflatten(fieldMap, kind: kind)
        return try RapportJSON.decode(Self.self, from: JSONValue.object(object).jsonData())
    }

    /// Same as ``from(fieldMap:)``.
    public init(fieldMap: [String: JSONValue]) throws {
        self = try Self.from(fieldMap: fieldMap)
    }
}

/// Flattening and unflattening between a record's JSON object and its field map.
enum FieldMapCoding {
    static func flatten(_ value: JSONValue, kind: EntityKind) throws -> [String: JSONValue] {
        guard case .object(let root) = value, let entry = FieldRegistry.table[kind] else {
            throw unregistered(kind, "", "the record did not encode as a JSON object")
        }
        var map: [String: JSONValue] = [:]
        map.reserveCapacity(entry.list.count + 8)
        let groups = Set(entry.groups)
        for (key, member) in root {
            if key == FieldRegistry.customFieldsKey {
                guard case .object(let custom) = member else {
                    throw unregistered(kind, key, "customFields did not encode as an object")
                }
                for (customKey, customValue) in custom {
                    map[FieldRegistry.customFieldsKey + "." + customKey] = customValue
                }
            } else if groups.contains(key) {
                guard case .object(let members) = member else { continue }
                for (name, memberValue) in members {
                    let path = key + "." + name
                    guard entry.byPath[path] != nil else {
                        throw unregistered(kind, path, "the field is not in the registry")
                    }
                    map[path] = memberValue
                }
            } else {
                guard entry.byPath[key] != nil else {
                    throw unregistered(kind, key, "the field is not in the registry")
                }
                map[key] = member
            }
        }
        for descriptor in entry.list where map[descriptor.path] == nil {
            if let group = descriptor.group, root[group]?.objectValue == nil { continue }
            map[descriptor.path] = .null
        }
        return map
    }

    static func unflatten(_ map: [String: JSONValue], kind: EntityKind) throws -> [String: JSONValue] {
        guard let entry = FieldRegistry.table[kind] else { return [:] }
        var root: [String: JSONValue] = [:]
        var groups: [String: [String: JSONValue]] = [:]
        var custom: [String: JSONValue] = [:]
        for (path, value) in map {
            if let key = FieldRegistry.customFieldKey(of: path) {
                custom[key] = value
            } else if let descriptor = entry.byPath[path] {
                if let group = descriptor.group {
                    groups[group, default: [:]][String(path.dropFirst(group.count + 1))] = value
                } else {
                    root[path] = value
                }
            } else {
                throw ValidationError(
                    kind, field: path, rule: .unknownField,
                    message:
                        "'\(path)' is not a field of \(kind.rawValue); check the spelling against the field registry.")
            }
        }
        for (group, members) in groups { root[group] = .object(members) }
        root[FieldRegistry.customFieldsKey] = .object(custom)
        return root
    }

    private static func unregistered(_ kind: EntityKind, _ path: String, _ detail: String)
        -> ValidationError
    {
        ValidationError(
            kind, field: path, rule: .unknownField,
            message: "Cannot flatten the \(kind.rawValue): \(detail). Register the field in FieldRegistry.")
    }
}
