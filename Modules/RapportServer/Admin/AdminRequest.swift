import Foundation
import Hummingbird
import RapportAccess
import RapportModels
import RapportProtocol

/// Helpers every admin route uses: the acting administrator, path and query parameters with
/// validation errors that name the field, and auditing followed by policy invalidation.
struct AdminRequest {
    let request: Request
    let context: RapportRequestContext
    let services: ServerServices

    /// The acting administrator (the admin group's middleware already checked the role).
    var actor: AuthenticatedIdentity {
        get throws(ServerError) { try context.requireIdentity() }
    }

    /// A UUID path parameter; 400 naming it if malformed.
    func id(_ name: String = "id") throws(ServerError) -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
            throw ServerError.invalidField(name, "must be a UUID")
        }
        return id
    }

    /// A string path parameter.
    func parameter(_ name: String) throws(ServerError) -> String {
        guard let text = context.parameters.get(name), !text.isEmpty else {
            throw ServerError.invalidField(name, "is missing")
        }
        return text
    }

    /// An optional query parameter; 400 naming it if it is given empty (`?status=`): leave it out
    /// instead, so a typo in a script is not silently read as "no filter".
    func query(_ name: String) throws(ServerError) -> String? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard !text.isEmpty else { throw ServerError.invalidField(name, "is empty; give a value or leave it out") }
        return text
    }

    /// An optional UUID query parameter; 400 naming it if malformed.
    func queryID(_ name: String) throws(ServerError) -> UUID? {
        guard let text = try query(name) else { return nil }
        guard let id = UUID(uuidString: text) else { throw ServerError.invalidField(name, "must be a UUID") }
        return id
    }

    /// An optional ISO-8601 date query parameter; 400 naming it if malformed.
    func queryDate(_ name: String) throws(ServerError) -> Date? {
        guard let text = try query(name) else { return nil }
        guard let date = RapportJSON.date(from: text) ?? ISO8601DateFormatter().date(from: text) else {
            throw ServerError.invalidField(name, "must be an ISO-8601 date such as 2025-03-01T00:00:00Z")
        }
        return date
    }

    /// An optional whole-number query parameter within `range`.
    func queryInt(_ name: String, in range: ClosedRange<Int>) throws(ServerError) -> Int? {
        guard let text = try query(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ServerError.invalidField(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Decodes the JSON body. An explicit `null` is refused (400 naming the field) except for the
    /// keys in `nullable`: the admin API reads an absent field as "not given", and a `null` that
    /// silently meant the same would hide a client's mistake (Docs/openapi.yaml declares which
    /// fields take `null`).
    func body<T: Decodable>(_ type: T.Type, nullable: Set<String> = []) async throws -> T {
        let data = try await request.jsonBody(limit: services.configuration.limits.maxBodyBytes)
        let value = try Request.decodeJSON(type, from: data)
        // Only the fields the body declares: unknown keys are ignored, whatever they hold.
        let declared = Set(Mirror(reflecting: value).children.compactMap(\.label))
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            for (key, item) in object.sorted(by: { $0.key < $1.key }) where declared.contains(key) {
                try Self.refuseNulls(in: [key: item], path: "", except: nullable)
            }
        }
        return value
    }

    /// Throws 400 naming the first `null` member of `value` whose key is not in `nullable`.
    static func refuseNulls(in value: Any, path: String, except nullable: Set<String>) throws(ServerError) {
        if let object = value as? [String: Any] {
            for (key, item) in object.sorted(by: { $0.key < $1.key }) {
                let name = path.isEmpty ? key : "\(path).\(key)"
                if item is NSNull {
                    guard nullable.contains(key) else {
                        throw ServerError.invalidField(name, "must not be null; leave it out to say \"not given\"")
                    }
                } else {
                    try refuseNulls(in: item, path: name, except: nullable)
                }
            }
        } else if let array = value as? [Any] {
            for (index, item) in array.enumerated() {
                if item is NSNull { throw ServerError.invalidField("\(path)[\(index)]", "must not be null") }
                try refuseNulls(in: item, path: "\(path)[\(index)]", except: nullable)
            }
        }
    }

    /// Appends an audit entry for an admin action by the caller.
    func audit(
        _ action: AuditAction, records: [UUID] = [], fields: [String] = [], allowed: Bool = true, reason: String = ""
    ) async throws {
        let actor = try actor
        try await services.audit.record(
            action, actor: actor.staff.id, device: actor.device.id, records: records, fields: fields,
            allowed: allowed, reason: reason)
    }

    /// Audits an action that changed the organisation, then tells the policy to rebuild.
    func auditChange(_ action: AuditAction, records: [UUID] = [], fields: [String] = [], reason: String = "")
        async throws
    {
        try await audit(action, records: records, fields: fields, reason: reason)
        await services.adminHooks.organisationChanged()
    }

    /// The current organisation and a policy built from it (for separation-of-duties checks).
    func policy() async throws -> AccessPolicy {
        AccessPolicy(try await services.storage.organisation())
    }

    /// The member of staff; 404 if unknown.
    func staff(_ id: UUID) async throws -> Staff {
        guard let staff = try await services.storage.staff(id: id) else {
            throw ServerError(.notFound, "no member of staff has id \(id); list staff with GET /v1/admin/staff")
        }
        return staff
    }

    /// The admin API's view of `staff`, with their login name (and `devices` when given).
    func view(_ staff: Staff, devices: [RegisteredDevice]? = nil) async throws -> StaffView {
        StaffView(staff, loginName: try await services.storage.credential(staffId: staff.id)?.loginName, devices: devices)
    }
}

extension ServerError {
    /// A 400 naming the field and what is wrong with it: `field 'expiresAt': …`.
    static func invalidField(_ field: String, _ reason: String) -> ServerError {
        ServerError(.malformedRequest, "field '\(field)': \(reason)")
    }

    /// Maps a refusal of the access policy: separation of duties → 403, bad values → 400
    /// naming the field, unknown people, teams and roles → 404, state conflicts (an inactive
    /// person, a duration beyond the organisation's maximum) → 409.
    init(_ error: AccessError) {
        switch error.code {
        case .selfGrant, .notPermitted, .invalidApprover:
            self.init(.forbidden, error.message)
        case .reasonRequired:
            self = .invalidField("reason", error.message)
        case .invalidTarget:
            self = .invalidField("target", error.message)
        case .unknownStaff, .grantNotFound, .unknownTeam, .unknownRole:
            self.init(.notFound, error.message)
        default:
            self.init(.conflict, error.message)
        }
    }
}

/// Runs `body`, turning an ``AccessError`` into the matching ``ServerError``.
func checked<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as AccessError {
        throw ServerError(error)
    }
}

/// `{"items": [...]}`.
struct ItemList<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
}
