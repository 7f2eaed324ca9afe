/// The single source of truth for every entity field: its class, merge policy, value type and
/// mask style. Access control and sync read it; nothing else lists fields.
///
/// Paths are JSON keys; fields inside a customer profile group use a dot
/// (`individual.phones`, `enterprise.creditRating`); custom fields are `customFields.<key>` and
/// are classified by their ``CustomFieldDefinition``.
///
/// ```swift
/// FieldRegistry.descriptor(.customer, "creditLimit")?.fieldClass   // .secret
/// ```
public enum FieldRegistry {
    /// The JSON key of the custom field map, and the prefix of custom field paths.
    public static let customFieldsKey = "customFields"

    /// Every fixed field of `kind`, record fields first. Custom fields are not listed.
    public static func fields(of kind: EntityKind) -> [FieldDescriptor] {
        table[kind]?.list ?? []
    }

    /// The fixed field at `path`; for a custom field path, a conservative fallback
    /// (sensitive, any JSON value) since its definition is not known here.
    /// Returns `nil` for a path that is neither.
    public static func descriptor(_ kind: EntityKind, _ path: String) -> FieldDescriptor? {
        if let descriptor = table[kind]?.byPath[path] { return descriptor }
        if let key = customFieldKey(of: path) { return unknownCustomField(key) }
        return nil
    }

    /// The field at `path`, resolving custom fields through `definitions` (only those whose
    /// ``CustomFieldDefinition/entity`` is `kind` count). A custom key with no definition gets the
    /// conservative fallback of ``descriptor(_:_:)``.
    public static func descriptor(
        _ kind: EntityKind, _ path: String, definitions: [CustomFieldDefinition]
    ) -> FieldDescriptor? {
        if let key = customFieldKey(of: path),
            let definition = definitions.first(where: { $0.entity == kind && $0.key == key })
        {
            return definition.descriptor
        }
        return descriptor(kind, path)
    }

    /// The profile groups of `kind` (`["enterprise", "individual"]` for customers), sorted.
    public static func groups(of kind: EntityKind) -> [String] {
        table[kind]?.groups ?? []
    }

    /// The key of a custom field path (`customFields.region` → `region`), or `nil`.
    public static func customFieldKey(of path: String) -> String? {
        let prefix = customFieldsKey + "."
        guard path.hasPrefix(prefix), path.count > prefix.count else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    /// The descriptor given to a custom field whose definition is unknown: sensitive, so it is
    /// masked until classified; last writer wins; any JSON value.
    public static func unknownCustomField(_ key: String) -> FieldDescriptor {
        FieldDescriptor(
            customFieldsKey + "." + key, .json, fieldClass: .sensitive, mergePolicy: .lastWriterWins)
    }

    struct Entry: Sendable {
        let list: [FieldDescriptor]
        let byPath: [String: FieldDescriptor]
        let groups: [String]

        init(_ list: [FieldDescriptor]) {
            self.list = list
            byPath = Dictionary(list.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            groups = Set(list.compactMap(\.group)).sorted()
        }
    }

    static let table: [EntityKind: Entry] = Dictionary(
        uniqueKeysWithValues: EntityKind.allCases.map { kind in
            let specific = specific(to: kind)
            let overrides = Dictionary(specific.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
            let record = common.map { overrides[$0.path] ?? $0 }
            let recordPaths = Set(common.map(\.path))
            return (kind, Entry(record + specific.filter { !recordPaths.contains($0.path) }))
        })
}
