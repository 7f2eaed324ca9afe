import Foundation
import Hummingbird
import RapportAccess

/// Teams: `POST/GET /v1/admin/teams`, `POST /v1/admin/teams/{id}/move` (new parent, or none).
struct AdminTeamRoutes: RouteModule {
    struct NewTeam: Decodable {
        var name: String
        var parentId: UUID?
    }

    struct Move: Decodable {
        var parentId: UUID?
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.post("teams") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let body = try await admin.body(NewTeam.self, nullable: ["parentId"])
            let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...200).contains(name.count) else { throw ServerError.invalidField("name", "must have 1 to 200 characters") }
            let teams = try await services.storage.organisation().teams
            if let parent = body.parentId, !teams.contains(where: { $0.id == parent }) {
                throw ServerError(.notFound, "no team has id \(parent); list teams with GET /v1/admin/teams")
            }
            let team = Team(id: UUID(), name: name, parentId: body.parentId)
            try await services.storage.saveTeam(team)
            try await admin.auditChange("teamCreated", records: [team.id] + (team.parentId.map { [$0] } ?? []))
            return try Response.json(team, status: .created)
        }
        groups.admin.get("teams") { _, _ in
            try Response.json(ItemList(items: try await services.storage.organisation().teams))
        }
        groups.admin.post("teams/{id}/move") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let id = try admin.id()
            let body = try await admin.body(Move.self, nullable: ["parentId"])
            let teams = Dictionary(uniqueKeysWithValues: try await services.storage.organisation().teams.map { ($0.id, $0) })
            guard var team = teams[id] else {
                throw ServerError(.notFound, "no team has id \(id); list teams with GET /v1/admin/teams")
            }
            if let parent = body.parentId {
                guard teams[parent] != nil else {
                    throw ServerError(.notFound, "no team has id \(parent); list teams with GET /v1/admin/teams")
                }
                var cursor: UUID? = parent
                var steps = 0
                while let current = cursor, steps <= teams.count {
                    guard current != id else {
                        throw ServerError(.conflict, "field 'parentId': would put the team under itself; choose a team outside its subtree")
                    }
                    cursor = teams[current]?.parentId
                    steps += 1
                }
            }
            // A move changes whom every manager above the old and the new place reaches.
            switch try await AdminChangeGate(admin: admin).submit(
                .moveTeam(teamId: id, parentId: body.parentId), audit: "teamMoved",
                records: [team.id] + (body.parentId.map { [$0] } ?? []))
            {
            case .applied:
                team.parentId = body.parentId
                return try Response.json(team)
            case .pending(let pending):
                return try Response.json(pending, status: .accepted)
            }
        }
    }
}
