import RapportModels

/// The three-way, field-level merge of a client update into the server's record: a pure,
/// deterministic function driven by the merge policies of `FieldRegistry` (RapportModels)
/// (`Docs/Protocol.md`, "Merge").
///
/// For each changed field, *base* is the value the client started from, *yours* its new
/// value, *theirs* the server's current value. The field changed concurrently when it changed
/// on the server after the mutation's `baseVersion` and *theirs* differs from *base*. Then:
///
/// | policy | concurrent result | lost edits |
/// | --- | --- | --- |
/// | `lastWriterWins` | the value with the later HLC (ties: node name) | the loser, as a ``FieldConflict`` |
/// | `counter` | theirs + (yours − base) | none |
/// | `setUnion` | (theirs ∪ added) − removed, added/removed = yours vs base | none |
/// | `serverOnly` | — the mutation is refused | — |
/// | `immutable` | — refused unless yours equals theirs | — |
///
/// A field that did not change concurrently takes *yours* (the client saw *theirs*).
///
/// ```swift
/// let outcome = try FieldMerge.update(mutation, current: record.fields, state: record.fieldStates)
/// ```
public enum FieldMerge {
    /// Record fields the server stamps on every write; clients never send them.
    public static let serverStamps: Set<String> = ["createdAt", "updatedAt", "deletedAt", "version", "createdBy", "updatedBy"]

    /// Merges an update.
    ///
    /// - Parameters:
    ///   - mutation: the client's update (its `fields`, `base`, `baseVersion` and clocks are used).
    ///   - current: the server's current field map of the record.
    ///   - state: the server's per-field clocks and versions.
    ///   - definitions: custom field definitions, for the policies of `customFields.*`.
    ///   - clockOverride: the clock to use instead of the mutation's (a clamped clock).
    ///   - opaque: paths whose stored value the writer may not read in clear. For these the
    ///     outcome never depends on comparing values: a field changed after `baseVersion` is
    ///     concurrent whatever its base, an equal value is still a write, and an immutable
    ///     field is refused whatever is sent — so status, conflicts and refusals tell nothing
    ///     about the stored value (`Docs/Security.md`, "Threat model").
    /// - Throws: ``MergeRefusal`` for unknown, server-only or immutable fields and malformed
    ///   counter or set values.
    public static func update(
        _ mutation: Mutation, current: FieldMap, state: [String: FieldState],
        definitions: [CustomFieldDefinition] = [], clockOverride: HLCTimestamp? = nil, opaque: Set<String> = []
    ) throws(MergeRefusal) -> FieldMergeOutcome {
        var values: FieldMap = [:]
        var clocks: [String: HLCTimestamp] = [:]
        var conflicts: [FieldConflict] = []
        var concurrentAny = false
        for path in mutation.fields.keys.sorted() {
            let yours = mutation.fields[path] ?? .null
            let policy = try policy(of: path, kind: mutation.entity, definitions: definitions, creating: false)
            let theirs = current[path] ?? .null
            let base = mutation.base?[path]
            let fieldState = state[path]
            let yourClock = clockOverride ?? mutation.clock(of: path)
            let hidden = opaque.contains(path)
            let changedSinceBase = (fieldState?.version ?? 0) > mutation.baseVersion
            let concurrent = changedSinceBase && (hidden || base == nil || base != theirs)
            switch policy {
            case .serverOnly:
                throw MergeRefusal(.serverOnlyField, field: path, "'\(path)' is written by the server only; remove it from the mutation")
            case .immutable:
                if hidden || yours != theirs {
                    throw MergeRefusal(.immutableField, field: path, "'\(path)' cannot change once the record exists; create a new record instead")
                }
                continue
            case .lastWriterWins:
                let newerClock = max(yourClock, fieldState?.clock ?? yourClock)
                if !concurrent || (yours == theirs && !hidden) {
                    values[path] = yours
                    clocks[path] = newerClock
                } else {
                    concurrentAny = true
                    let yoursWins = fieldState.map { yourClock > $0.clock } ?? true
                    let result = yoursWins ? yours : theirs
                    values[path] = result
                    clocks[path] = newerClock
                    conflicts.append(
                        FieldConflict(field: path, base: base, yours: yours, theirs: theirs, result: result, winner: yoursWins ? .yours : .theirs))
                }
            case .counter:
                let baseValue: JSONValue
                if let base {
                    baseValue = base
                } else if !concurrent {
                    baseValue = theirs
                } else {
                    throw MergeRefusal(.invalidMutation, field: path, "'\(path)' is a counter; send its 'base' so the server can add your change")
                }
                guard let y = integer(yours), let b = integer(baseValue), let t = integer(theirs) else {
                    throw MergeRefusal(.invalidMutation, field: path, "'\(path)' is a counter; send integers")
                }
                let (sum, overflow) = t.addingReportingOverflow(y &- b)
                if overflow { throw MergeRefusal(.invalidMutation, field: path, "'\(path)' would overflow") }
                if concurrent { concurrentAny = true }
                values[path] = .int(sum)
                clocks[path] = max(yourClock, fieldState?.clock ?? yourClock)
            case .setUnion:
                guard let y = strings(yours), let t = strings(theirs), let b = strings(base ?? (concurrent ? .array([]) : theirs)) else {
                    throw MergeRefusal(.invalidMutation, field: path, "'\(path)' is a set; send an array of strings")
                }
                let added = y.subtracting(b)
                let removed = b.subtracting(y)
                let result = t.union(added).subtracting(removed)
                if concurrent { concurrentAny = true }
                values[path] = .array(result.sorted().map(JSONValue.string))
                clocks[path] = max(yourClock, fieldState?.clock ?? yourClock)
            }
        }
        return FieldMergeOutcome(values: values, clocks: clocks, conflicts: conflicts, concurrent: concurrentAny)
    }

    /// Checks the fields of a create: every path must be known, and server-only fields other
    /// than the record stamps (which are ignored) are refused.
    ///
    /// - Returns: the fields without the record stamps.
    public static func create(
        _ mutation: Mutation, definitions: [CustomFieldDefinition] = []
    ) throws(MergeRefusal) -> FieldMap {
        var fields: FieldMap = [:]
        for path in mutation.fields.keys.sorted() where !serverStamps.contains(path) {
            let value = mutation.fields[path] ?? .null
            let policy = try policy(of: path, kind: mutation.entity, definitions: definitions, creating: true)
            // A new record may carry a server-only field at its initial value: null, or `false`
            // for a flag (an entity's encoding writes `responseBreached: false`).
            if policy == .serverOnly, !value.isNull, value != .bool(false) {
                throw MergeRefusal(.serverOnlyField, field: path, "'\(path)' is written by the server only; remove it from the new record")
            }
            fields[path] = value
        }
        return fields
    }

    static func policy(
        of path: String, kind: EntityKind, definitions: [CustomFieldDefinition], creating: Bool
    ) throws(MergeRefusal) -> MergePolicy {
        guard let descriptor = FieldRegistry.descriptor(kind, path, definitions: definitions) else {
            throw MergeRefusal(.invalidMutation, field: path, "'\(path)' is not a field of \(kind.rawValue); check it against the field registry")
        }
        return descriptor.mergePolicy
    }

    /// A counter field's value as an integer (`null` counts as 0), or `nil` if it is not one.
    /// The client's rebase of local edits reads counters the same way.
    public static func integer(_ value: JSONValue) -> Int64? {
        if value.isNull { return 0 }
        return value.intValue
    }

    /// A tag-set field's value as a set (`null` is empty), or `nil` if it is not a list of
    /// strings. The client's rebase of local edits reads tag sets the same way.
    public static func strings(_ value: JSONValue) -> Set<String>? {
        if value.isNull { return [] }
        guard let array = value.arrayValue else { return nil }
        var result = Set<String>()
        for element in array {
            guard let string = element.stringValue else { return nil }
            result.insert(string)
        }
        return result
    }
}
