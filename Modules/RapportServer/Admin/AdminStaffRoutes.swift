import Foundation
import Hummingbird
import RapportAccess

/// Staff: `POST/GET /v1/admin/staff`, `GET/PATCH /v1/admin/staff/{id}`, and the status commands
/// `notice`, `suspend`, `reinstate`, `offboard`.
struct AdminStaffRoutes: RouteModule {
    struct NewStaff: Decodable {
        var name: String
        var teamId: UUID
        var roles: [String]
        var loginName: String
        var password: String
    }

    struct StaffUpdate: Decodable {
        var name: String?
        var teamId: UUID?
        var loginName: String?
        var password: String?
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.post("staff") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let body = try await admin.body(NewStaff.self)
            let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...200).contains(name.count) else { throw ServerError.invalidField("name", "must have 1 to 200 characters") }
            guard !body.roles.isEmpty else { throw ServerError.invalidField("roles", "must name at least one role") }
            let organisation = try await services.storage.organisation()
            guard organisation.teams.contains(where: { $0.id == body.teamId }) else {
                throw ServerError(.notFound, "no team has id \(body.teamId); list teams with GET /v1/admin/teams")
            }
            let roles = Set(body.roles.map(RoleID.init(rawValue:)))
            let known = AccessPolicy(organisation).roles
            if let unknown = roles.sorted().first(where: { known[$0] == nil }) {
                throw ServerError(.notFound, "no role is named '\(unknown)'; list roles with GET /v1/admin/roles")
            }
            if (try? await services.storage.credential(loginName: body.loginName)) != nil {
                throw ServerError(.conflict, "the login name is taken; choose another")
            }
            // The person exists without roles (no access at all); the roles are then an ordinary
            // role change through the gate, held for a second administrator if they widen.
            let staff = Staff(id: UUID(), name: name, teamId: body.teamId, roles: [])
            try await services.storage.saveStaff(staff)
            try await services.identity.setPassword(staffId: staff.id, loginName: body.loginName, password: body.password)
            try await admin.auditChange("staffCreated", records: [staff.id], reason: "roles: \(body.roles.sorted().joined(separator: ","))")
            return try await AdminRoleRoutes.assign(RoleChange(staffId: staff.id, adding: roles), admin: admin, status: .created)
        }
        groups.admin.get("staff") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            var staff = try await services.storage.organisation().staff
            if let status = try admin.query("status") {
                guard StaffStatus(rawValue: status) != nil else {
                    throw ServerError.invalidField("status", "must be active, notice, suspended or departed")
                }
                staff = staff.filter { $0.status.rawValue == status }
            }
            if let team = try admin.queryID("team") { staff = staff.filter { $0.teamId == team } }
            var views: [StaffView] = []
            for person in staff { views.append(try await admin.view(person)) }
            return try Response.json(ItemList(items: views))
        }
        groups.admin.get("staff/{id}") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let staff = try await admin.staff(try admin.id())
            return try Response.json(try await admin.view(staff, devices: try await services.storage.devices(staffId: staff.id)))
        }
        groups.admin.patch("staff/{id}") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            var staff = try await admin.staff(try admin.id())
            let body = try await admin.body(StaffUpdate.self)
            var fields: [String] = []
            if let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines) {
                guard (1...200).contains(name.count) else {
                    throw ServerError.invalidField("name", "must have 1 to 200 characters")
                }
                staff.name = name
                fields.append("name")
            }
            if body.password != nil || body.loginName != nil {
                guard let login = body.loginName, let password = body.password else {
                    throw ServerError.invalidField("password", "send loginName and password together")
                }
                // Resetting another administrator's password would let one admin sign in as a
                // second one and approve their own widening grants: separation of duties forbids it.
                let isSelf = staff.id == (try admin.actor.staff.id)
                guard !staff.isAdmin || isSelf else {
                    throw ServerError(
                        .forbidden,
                        "administrators reset only their own password; \(staff.name) must change theirs, or first remove their admin role with a second administrator's approval"
                    )
                }
                try await services.identity.setPassword(staffId: staff.id, loginName: login, password: password)
                if !isSelf {
                    // Whoever held the old password loses its sessions: they sign in again.
                    for device in try await services.storage.devices(staffId: staff.id) {
                        try await services.storage.revokeTokens(deviceId: device.id, at: Date())
                    }
                }
                fields.append("password")
            }
            guard !fields.isEmpty || body.teamId != nil else { throw ServerError.invalidField("body", "names nothing to change") }
            if !fields.isEmpty {
                try await services.storage.saveStaff(staff)
                try await admin.auditChange("staffUpdated", records: [staff.id], fields: fields)
            }
            guard let teamId = body.teamId, teamId != staff.teamId else { return try Response.json(try await admin.view(staff)) }
            guard try await services.storage.organisation().teams.contains(where: { $0.id == teamId }) else {
                throw ServerError(.notFound, "no team has id \(teamId); list teams with GET /v1/admin/teams")
            }
            // A move changes whom the person's managers reach, and whom they reach: through the gate.
            switch try await AdminChangeGate(admin: admin).submit(
                .moveStaff(staffId: staff.id, teamId: teamId), audit: "staffUpdated", records: [staff.id, teamId])
            {
            case .applied(let after):
                return try Response.json(try await admin.view(after.staff.first { $0.id == staff.id } ?? staff))
            case .pending(let pending):
                return try Response.json(pending, status: .accepted)
            }
        }
        for (command, status) in [("notice", StaffStatus.notice), ("suspend", .suspended), ("reinstate", .active)] {
            groups.admin.post("staff/{id}/\(command)") { request, context in
                let admin = AdminRequest(request: request, context: context, services: services)
                var staff = try await admin.staff(try admin.id())
                guard staff.id != (try admin.actor.staff.id) else {
                    throw ServerError(.forbidden, "administrators cannot change their own status; ask another administrator")
                }
                guard staff.status != .departed else {
                    throw ServerError(.conflict, "\(staff.name) has departed; departures are final — add them again if they return")
                }
                // Reinstating restores access: judged like any other widening.
                switch try await AdminChangeGate(admin: admin).submit(
                    .setStatus(staffId: staff.id, status: status), audit: .statusChanged, records: [staff.id],
                    reason: "\(staff.status.rawValue)→\(status.rawValue)")
                {
                case .applied:
                    staff.status = status
                    return try Response.json(try await admin.view(staff))
                case .pending(let pending):
                    return try Response.json(pending, status: .accepted)
                }
            }
        }
        groups.admin.post("staff/{id}/unlock") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let staff = try await admin.staff(try admin.id())
            guard let credential = try await services.storage.credential(staffId: staff.id) else {
                throw ServerError(.notFound, "\(staff.name) has no login to unlock; set one with PATCH /v1/admin/staff/{id}")
            }
            try await services.identity.unlock(loginName: credential.loginName)
            try await admin.audit(.accountUnlocked, records: [staff.id])
            return try Response.json(try await admin.view(staff))
        }
        groups.admin.post("staff/{id}/offboard") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let staff = try await admin.staff(try admin.id())
            let body = try await admin.body(Offboarding.Request.self)
            let report = try await Offboarding(admin: admin).run(staff: staff, request: body)
            return try Response.json(report)
        }
    }
}
