import Foundation
import Hummingbird
import RapportAccess
import RapportModels
import RapportProtocol
import RapportSyncServer

/// Customers: `POST /v1/admin/customers/{id}/reassign` with `{"toStaff": "<id>"}` or
/// `{"toTeam": "<id>"}` (owned by that team's first active manager), optionally both and a
/// `reason`. The change goes through the sync server's server-write path (as offboarding's), so
/// the old owner's devices evict the customer on their next pull and the new owner's receive it.
/// The account manager is left as it is.
struct AdminCustomerRoutes: RouteModule {
    struct Reassign: Decodable {
        /// The member of staff who takes the customer over.
        var toStaff: UUID?
        /// The team the customer moves to (with no `toStaff`: owned by its first active manager).
        var toTeam: UUID?
        /// Why, for the audit log.
        var reason: String?
    }

    struct Reassigned: Codable, Sendable {
        var customerId: UUID
        var fromStaff: UUID?
        var toStaff: UUID
        var toTeam: UUID
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.post("customers/{id}/reassign") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let id = try admin.id()
            let body = try await admin.body(Reassign.self)
            let records = try services.adminHooks.requireRecords()
            guard let customer = try await records.liveRecords(of: [.customer]).first(where: { $0.key.id == id }) else {
                throw ServerError(
                    .notFound, "no customer has id \(id); check the id (deleted customers cannot be reassigned)")
            }
            let organisation = try await services.storage.organisation()
            let target = try Self.target(body, organisation: organisation)
            if customer.ownerId == target.staff,
                customer.fields["teamId"]?.stringValue == target.team.uuidString
            {
                throw ServerError(.conflict, "customer \(id) already belongs to \(target.staff) in team \(target.team)")
            }
            let actor = try admin.actor.staff
            try await records.serverWrite(
                customer.key,
                fields: ["ownerId": .string(target.staff.uuidString), "teamId": .string(target.team.uuidString)],
                actor: actor.id)
            try await admin.audit(
                "customerReassigned", records: [id] + (customer.ownerId.map { [$0] } ?? []) + [target.staff],
                fields: ["ownerId", "teamId"], reason: body.reason ?? "")
            return try Response.json(
                Reassigned(customerId: id, fromStaff: customer.ownerId, toStaff: target.staff, toTeam: target.team))
        }
    }

    /// The new owner and team: the named colleague (active), or the named team's first active
    /// manager; the team defaults to the new owner's.
    static func target(_ body: Reassign, organisation: Organisation) throws(ServerError) -> (staff: UUID, team: UUID) {
        var owner: Staff?
        if let to = body.toStaff {
            guard let colleague = organisation.staff.first(where: { $0.id == to }) else {
                throw ServerError(.notFound, "no member of staff has id \(to); list staff with GET /v1/admin/staff")
            }
            guard colleague.status == .active else {
                throw ServerError(
                    .conflict, "field 'toStaff': \(colleague.name) is \(colleague.status.rawValue); name an active member of staff")
            }
            owner = colleague
        }
        if let team = body.toTeam {
            guard organisation.teams.contains(where: { $0.id == team }) else {
                throw ServerError(.notFound, "no team has id \(team); list teams with GET /v1/admin/teams")
            }
            if owner == nil {
                owner = organisation.staff.first {
                    $0.teamId == team && $0.status == .active && $0.roles.contains(.manager)
                }
                guard owner != nil else {
                    throw ServerError(
                        .conflict, "field 'toTeam': the team has no active manager to own the customer; also give toStaff")
                }
            }
        }
        guard let owner else {
            throw ServerError.invalidField(
                "toStaff", "name the colleague (toStaff) or team (toTeam) who takes the customer over")
        }
        return (owner.id, body.toTeam ?? owner.teamId)
    }
}
