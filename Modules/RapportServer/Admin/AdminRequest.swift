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

    /// An optional query parameter.
    func query(_ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An optional UUID query parameter; 400 naming it if malformed.
    func queryID(_ name: String) throws(ServerError) -> UUID? {
        guard let text = query(name) else { return nil }
        guard let id = UUID(uuidString: text) else { throw ServerError.invalidField(name, "must be a UUID") }
        return id
    }

    /// An optional ISO-8601 date query parameter; 400 naming it if malformed.
    func queryDate(_ name: String) throws(ServerError) -> Date? {
        guard let text = query(name) else { return nil }
        guard let date = RapportJSON.date(from: text) ?? ISO8601DateFormatter().date(from: text) else {
            throw ServerError.invalidField(name, "must be an ISO-8601 date such as 2025-03-01T00:00:00Z")
        }
        return date
    }

    /// An optional whole-number query parameter within `range`.
    func queryInt(_ name: String, in range: ClosedRange<Int>) throws(ServerError) -> Int? {
        guard let text = query(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ServerError.invalidField(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Decodes the JSON body.
    func body<T: Decodable>(_ type: T.Type) async throws -> T {
        try await request.decodeJSON(type, limit: services.configuration.limits.maxBodyBytes)
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
    /// naming the field, unknown people → 404, state conflicts → 409.
    init(_ error: AccessError) {
        switch error.code {
        case .selfGrant, .notPermitted, .invalidApprover:
            self.init(.forbidden, error.message)
        case .reasonRequired:
            self = .invalidField("reason", error.message)
        case .invalidDuration:
            self = .invalidField("for", error.message)
        case .invalidTarget:
            self = .invalidField("target", error.message)
        case .unknownStaff, .grantNotFound:
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
