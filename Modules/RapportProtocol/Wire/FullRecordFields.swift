import RapportModels

/// The wire form of a *full* record's fields (`Docs/Protocol.md`, "Field maps"): every path
/// whose value is `null` is left out, so a missing path reads as "no value for you" — empty, or
/// not shown to this device. A ``RecordChange`` of kind `full` and a ``SyncRecord`` encode their
/// fields this way; `partial` changes do not (there a `null` says the field was cleared).
///
/// One exception keeps a profile group's presence readable: when a record has a group (an
/// individual customer's `individual`) whose every path is `null`, its first registered path
/// stays, as `null`. A reader that builds the entity from the map (a missing path decodes as
/// absent) gets the same record from either form, so clients written for the old form (every
/// path listed, absent values as `null`) read this one unchanged.
///
/// ```swift
/// FullRecordFields.compacted(.customer, ["name": "王芳", "notes": .null])   // ["name": "王芳"]
/// ```
public enum FullRecordFields {
    /// `fields` without its `null` values, except one path per present, all-`null` profile group.
    public static func compacted(_ kind: EntityKind, _ fields: FieldMap) -> FieldMap {
        var result = fields.filter { !$0.value.isNull }
        if result.count == fields.count { return result }
        let groups = FieldRegistry.groups(of: kind)
        if groups.isEmpty { return result }
        for group in groups {
            let prefix = group + "."
            guard fields.keys.contains(where: { $0.hasPrefix(prefix) }),
                !result.keys.contains(where: { $0.hasPrefix(prefix) })
            else { continue }
            // The group is present with every path null: keep the first registered one.
            if let first = FieldRegistry.fields(of: kind).first(where: { $0.group == group && fields[$0.path] != nil }) {
                result[first.path] = .null
            }
        }
        return result
    }
}
