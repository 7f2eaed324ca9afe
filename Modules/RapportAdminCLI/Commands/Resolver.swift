import Foundation

/// Turns what an administrator types — a UUID, a login name, a display name — into the id the
/// API wants, by listing the collection once. Unknown or ambiguous names fail with a message
/// that says how to find the right one.
///
/// ```swift
/// let ana = try await Resolver(context).staff("Ana Lima")
/// ```
struct Resolver {
    let connection: AdminConnection

    init(_ context: CommandContext) {
        connection = context.connection
    }

    /// A member of staff by id, login name or display name (case-insensitive).
    func staff(_ reference: String) async throws(AdminError) -> JSONValue {
        let list = try await connection.json(.GET, "/v1/admin/staff").items("staff")
        return try Self.pick(
            reference, from: list, keys: ["loginName", "name"], noun: "member of staff",
            hint: "run `rapport-admin staff list` to see names and ids")
    }

    /// A team by id or name (case-insensitive).
    func team(_ reference: String) async throws(AdminError) -> JSONValue {
        let list = try await connection.json(.GET, "/v1/admin/teams").items("teams")
        return try Self.pick(
            reference, from: list, keys: ["name"], noun: "team", hint: "run `rapport-admin team list` to see teams")
    }

    /// The id of `value`.
    static func id(_ value: JSONValue) -> String { value["id"]?.text ?? "" }

    /// Picks the one element of `list` that `reference` names.
    static func pick(
        _ reference: String, from list: [JSONValue], keys: [String], noun: String, hint: String
    ) throws(AdminError) -> JSONValue {
        let wanted = reference.trimmingCharacters(in: .whitespaces)
        if let uuid = UUID(uuidString: wanted) {
            if let match = list.first(where: { $0["id"]?.string.flatMap(UUID.init(uuidString:)) == uuid }) {
                return match
            }
            throw AdminError(.notFound, "no \(noun) has id \(wanted); \(hint)")
        }
        for key in keys {
            let matches = list.filter { $0[key]?.string?.caseInsensitiveCompare(wanted) == .orderedSame }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                let ids = matches.map { id($0) }.joined(separator: ", ")
                throw AdminError(.usage, "'\(wanted)' names more than one \(noun) (\(ids)); give the id instead")
            }
        }
        throw AdminError(.notFound, "unknown \(noun) '\(wanted)'; \(hint)")
    }
}
