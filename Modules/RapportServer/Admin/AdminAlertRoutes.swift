import Foundation
import Hummingbird
import RapportAccess

/// Alerts: `GET /v1/admin/alerts` (`?status=open|acknowledged|resolved&staff=`),
/// `GET /v1/admin/alerts/{id}`, `POST /v1/admin/alerts/{id}/ack`, `POST /v1/admin/alerts/{id}/resolve`.
struct AdminAlertRoutes: RouteModule {
    struct Note: Decodable {
        var note: String?
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.get("alerts") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let book = AlertBook(services: services)
            let status = try admin.query("status")
            if let status, !["open", "acknowledged", "resolved"].contains(status) {
                throw ServerError.invalidField("status", "must be open, acknowledged or resolved")
            }
            let alerts = try await book.storage.alerts(
                status: status, staffId: try admin.queryID("staff"), limit: try admin.queryInt("limit", in: 1...1_000) ?? 200)
            return try Response.json(ItemList(items: alerts))
        }
        groups.admin.get("alerts/{id}") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            return try Response.json(try await Self.alert(admin))
        }
        for command in ["ack", "resolve"] {
            groups.admin.post("alerts/{id}/\(command)") { request, context in
                let admin = AdminRequest(request: request, context: context, services: services)
                var alert = try await Self.alert(admin)
                let note = (try? await admin.body(Note.self))?.note
                let actor = try admin.actor.staff.id
                guard alert.alert.staffId != actor else {
                    throw ServerError(
                        .forbidden, "an alert about you is acknowledged and resolved by another administrator")
                }
                let now = Date()
                if command == "ack" {
                    guard alert.status == "open" else { throw ServerError(.conflict, "the alert is already \(alert.status)") }
                    alert.status = "acknowledged"
                    alert.acknowledgedBy = actor
                    alert.acknowledgedAt = now
                } else {
                    guard alert.status != "resolved" else { throw ServerError(.conflict, "the alert is already resolved") }
                    guard let note, !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                        throw ServerError.invalidField("note", "say how the alert was resolved")
                    }
                    alert.status = "resolved"
                    alert.resolvedBy = actor
                    alert.resolvedAt = now
                }
                if let note { alert.note = note }
                try await AlertBook(services: services).storage.updateAlert(alert)
                try await admin.audit(
                    command == "ack" ? "alertAcknowledged" : "alertResolved", records: [alert.alert.staffId, alert.id])
                return try Response.json(alert)
            }
        }
    }

    private static func alert(_ admin: AdminRequest) async throws -> StoredAlert {
        let id = try admin.id()
        guard let alert = try await AlertBook(services: admin.services).storage.alert(id: id) else {
            throw ServerError(.notFound, "no alert has id \(id); list alerts with GET /v1/admin/alerts")
        }
        return alert
    }
}
