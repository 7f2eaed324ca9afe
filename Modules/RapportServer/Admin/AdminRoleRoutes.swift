import Foundation
import Hummingbird
import RapportAccess
import RapportModels

/// Roles: `GET /v1/admin/roles`, `GET /v1/admin/roles/{id}`, `POST /v1/admin/roles` (custom),
/// `POST /v1/admin/roles/assign` (200 applied, or 202 waiting for a second administrator),
/// `POST /v1/admin/roles/requests/{id}/approve`.
struct AdminRoleRoutes: RouteModule {
    struct Assign: Codable, Sendable {
        var staffId: UUID
        var adding: [String]?
        var removing: [String]?
    }

    /// A widening role change waiting for a second administrator (kept in settings).
    struct PendingChange: Codable, Sendable {
        var id: UUID
        var staffId: UUID
        var adding: [String]
        var removing: [String]
        var requestedBy: UUID
        var requestedAt: Date
        var status: String
        var approvedBy: UUID?
    }

    static func settingKey(_ id: UUID) -> String { "roleChange.\(id.uuidString)" }

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
            let role = try await admin.body(Role.self)
            guard role.id.rawValue.range(of: "^[A-Za-z][A-Za-z0-9_.-]{0,63}$", options: .regularExpression) != nil else {
                throw ServerError.invalidField("id", "must start with a letter and have at most 64 letters, digits, '.', '_' or '-'")
            }
            guard !role.name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ServerError.invalidField("name", "must not be empty")
            }
            guard try await admin.policy().roles[role.id] == nil else {
                throw ServerError(.conflict, "a role named '\(role.id)' exists; choose another name")
            }
            try await services.storage.saveRole(role)
            try await admin.auditChange("roleCreated", reason: role.id.rawValue)
            return try Response.json(role, status: .created)
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
            _ = try await admin.staff(body.staffId)
            let actor = try admin.actor.staff.id
            let policy = try await admin.policy()
            let requirement = try checked { try policy.checkRoleChange(change, by: actor) }
            if requirement == .secondAdministrator {
                let pending = PendingChange(
                    id: UUID(), staffId: body.staffId, adding: (body.adding ?? []).sorted(),
                    removing: (body.removing ?? []).sorted(), requestedBy: actor, requestedAt: Date(), status: "pending")
                try await services.storage.setSetting(
                    Self.settingKey(pending.id), String(decoding: try RapportJSON.encoder().encode(pending), as: UTF8.self))
                try await admin.audit(.roleChanged, records: [body.staffId, pending.id], allowed: false, reason: "pending second administrator")
                return try Response.json(pending, status: .accepted)
            }
            let staff = try await apply(change, services: services)
            try await admin.auditChange(.roleChanged, records: [staff.id], reason: "roles: \(staff.roles.map(\.rawValue).sorted().joined(separator: ","))")
            return try Response.json(StaffView(staff))
        }
        groups.admin.post("roles/requests/{id}/approve") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let id = try admin.id()
            guard let text = try await services.storage.setting(Self.settingKey(id)) else {
                throw ServerError(.notFound, "no role change request has id \(id)")
            }
            var pending = try RapportJSON.decoder().decode(PendingChange.self, from: Data(text.utf8))
            guard pending.status == "pending" else { throw ServerError(.conflict, "the request was already \(pending.status)") }
            let change = RoleChange(
                staffId: pending.staffId, adding: Set(pending.adding.map(RoleID.init(rawValue:))),
                removing: Set(pending.removing.map(RoleID.init(rawValue:))))
            let approver = try admin.actor.staff.id
            let policy = try await admin.policy()
            try checked { try policy.approveRoleChange(change, requestedBy: pending.requestedBy, approvedBy: approver) }
            let staff = try await apply(change, services: services)
            pending.status = "approved"
            pending.approvedBy = approver
            try await services.storage.setSetting(
                Self.settingKey(id), String(decoding: try RapportJSON.encoder().encode(pending), as: UTF8.self))
            try await admin.auditChange(.roleChanged, records: [staff.id, id], reason: "approved; roles: \(staff.roles.map(\.rawValue).sorted().joined(separator: ","))")
            return try Response.json(StaffView(staff))
        }
    }

    private func apply(_ change: RoleChange, services: ServerServices) async throws -> Staff {
        guard var staff = try await services.storage.staff(id: change.staffId) else {
            throw ServerError(.notFound, "no member of staff has id \(change.staffId)")
        }
        staff.roles.subtract(change.removing)
        staff.roles.formUnion(change.adding)
        guard !staff.roles.isEmpty else { throw ServerError.invalidField("removing", "would leave the person without a role") }
        try await services.storage.saveStaff(staff)
        return staff
    }
}
