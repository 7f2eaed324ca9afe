import Foundation
import Hummingbird
import RapportAccess
import RapportModels

/// Roles: `GET /v1/admin/roles`, `GET /v1/admin/roles/{id}`, `POST /v1/admin/roles` (custom),
/// `PUT /v1/admin/roles/{id}` (edit), `POST /v1/admin/roles/assign`, and
/// `POST /v1/admin/roles/requests/{id}/approve` (the same as `POST /v1/admin/changes/{id}/approve`).
///
/// Every change goes through ``AdminChangeGate``: 200/201 when applied, 202 with the pending
/// request when it widens someone's access beyond the bounds and waits for a second administrator.
struct AdminRoleRoutes: RouteModule {
    struct Assign: Codable, Sendable {
        var staffId: UUID
        var adding: [String]?
        var removing: [String]?
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.get("roles") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let policy = try await admin.policy()
            return try Response.json(ItemList(items: policy.roles.values.sorted { $0.id < $1.id }))
        }
        groups.admin.get("roles/{name}") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let name = try admin.parameter("name")
            guard let role = try await admin.policy().roles[RoleID(rawValue: name)] else {
                throw ServerError(.notFound, "no role is named '\(name)'; list roles with GET /v1/admin/roles")
            }
            return try Response.json(role)
        }
        groups.admin.post("roles") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let role = try await Self.validRole(admin)
            guard try await admin.policy().roles[role.id] == nil else {
                throw ServerError(.conflict, "a role named '\(role.id)' exists; choose another name, or change it with PUT /v1/admin/roles/\(role.id)")
            }
            return try await Self.define(role, admin: admin, status: .created)
        }
        groups.admin.put("roles/{name}") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let name = try admin.parameter("name")
            let role = try await Self.validRole(admin)
            guard role.id.rawValue == name else {
                // A well-formed body that clashes with the path: a state clash (409), like the
                // other admin clashes, not malformed input.
                throw ServerError(
                    .conflict,
                    "the body names role '\(role.id.rawValue)' but the path names '\(name)'; roles are not renamed — send id '\(name)', or create '\(role.id.rawValue)' with POST /v1/admin/roles"
                )
            }
            guard try await admin.policy().roles[role.id] != nil else {
                throw ServerError(.notFound, "no role is named '\(name)'; create it with POST /v1/admin/roles")
            }
            return try await Self.define(role, admin: admin, status: .ok)
        }
        groups.admin.post("roles/assign") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let body = try await admin.body(Assign.self)
            let change = RoleChange(
                staffId: body.staffId, adding: Set((body.adding ?? []).map(RoleID.init(rawValue:))),
                removing: Set((body.removing ?? []).map(RoleID.init(rawValue:))))
            guard !change.adding.isEmpty || !change.removing.isEmpty else {
                throw ServerError.invalidField("adding", "name roles to add or remove")
            }
            let staff = try await admin.staff(body.staffId)
            guard !staff.roles.subtracting(change.removing).union(change.adding).isEmpty else {
                throw ServerError(.conflict, "field 'removing': would leave the person without a role; add another role in the same change")
            }
            return try await Self.assign(change, admin: admin)
        }
        groups.admin.post("roles/requests/{id}/approve") { request, context in
            let gate = AdminChangeGate(admin: AdminRequest(request: request, context: context, services: services))
            return try Response.json(try await gate.approve(try gate.admin.id()).0)
        }
    }

    /// Submits a role change through the gate: the person (200) or the pending request (202).
    static func assign(_ change: RoleChange, admin: AdminRequest, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let outcome = try await AdminChangeGate(admin: admin).submit(
            .assignRoles(change), audit: .roleChanged, records: [change.staffId])
        switch outcome {
        case .applied(let after):
            guard let staff = after.staff.first(where: { $0.id == change.staffId }) else {
                throw ServerError(.notFound, "no member of staff has id \(change.staffId)")
            }
            return try Response.json(try await admin.view(staff), status: status)
        case .pending(let pending):
            return try Response.json(pending, status: .accepted)
        }
    }

    private static func validRole(_ admin: AdminRequest) async throws -> Role {
        let role = try await admin.body(Role.self)
        guard role.id.rawValue.range(of: "^[A-Za-z][A-Za-z0-9_.-]{0,63}$", options: .regularExpression) != nil else {
            throw ServerError.invalidField("id", "must start with a letter and have at most 64 letters, digits, '.', '_' or '-'")
        }
        guard !role.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, role.name.count <= 200 else {
            throw ServerError.invalidField("name", "must have 1 to 200 characters and not be blank")
        }
        guard role.scope.rawValue <= 15 else {
            throw ServerError.invalidField("scope", "must be a bit set of 1 (own), 2 (team), 4 (assigned complaints) and 8 (organisation)")
        }
        let permissions = role.permissions
        for (name, actions) in [("otherEntities", permissions.otherEntities)] + permissions.entities.map({ ("entities.\($0.key.rawValue)", $0.value) })
        where actions.rawValue > 31 {
            throw ServerError.invalidField(
                "permissions.\(name)", "must be a bit set of 1 (read), 2 (create), 4 (update), 8 (delete) and 16 (export)")
        }
        for (name, value) in [
            ("distinctCustomersPerDay", role.quotas.distinctCustomersPerDay), ("exportsPerDay", role.quotas.exportsPerDay),
            ("sensitiveRevealsPerHour", role.quotas.sensitiveRevealsPerHour),
        ] where !(0...AdminChangeRoutes.maximumCount).contains(value) {
            throw ServerError.invalidField("quotas.\(name)", "must be a whole number from 0 to \(AdminChangeRoutes.maximumCount)")
        }
        return role
    }

    /// Creates or changes a role through the gate: every holder is judged.
    private static func define(_ role: Role, admin: AdminRequest, status: HTTPResponse.Status) async throws -> Response {
        switch try await AdminChangeGate(admin: admin).submit(
            .defineRole(role), audit: status == .created ? "roleCreated" : "roleEdited", reason: role.id.rawValue)
        {
        case .applied: return try Response.json(role, status: status)
        case .pending(let pending): return try Response.json(pending, status: .accepted)
        }
    }
}
