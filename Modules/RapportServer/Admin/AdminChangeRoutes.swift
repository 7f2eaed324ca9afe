import Foundation
import Hummingbird
import RapportAccess
import RapportModels
import RapportProtocol

/// Changes waiting for a second administrator and the organisation's access settings:
/// `GET /v1/admin/changes` (`?status=pending`), `GET /v1/admin/changes/{id}`,
/// `POST /v1/admin/changes/{id}/approve`, `POST /v1/admin/changes/{id}/reject`,
/// `GET /v1/admin/settings`, `PATCH /v1/admin/settings` (200 applied, 202 waiting).
struct AdminChangeRoutes: RouteModule {
    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.get("changes") { request, context in
            let gate = AdminChangeGate(admin: AdminRequest(request: request, context: context, services: services))
            var changes = try await gate.changes()
            if let status = gate.admin.query("status") {
                guard ["pending", "approved", "rejected"].contains(status) else {
                    throw ServerError.invalidField("status", "must be pending, approved or rejected")
                }
                changes = changes.filter { $0.status == status }
            }
            return try Response.json(ItemList(items: changes))
        }
        groups.admin.get("changes/{id}") { request, context in
            let gate = AdminChangeGate(admin: AdminRequest(request: request, context: context, services: services))
            return try Response.json(try await gate.change(try gate.admin.id()))
        }
        groups.admin.post("changes/{id}/approve") { request, context in
            let gate = AdminChangeGate(admin: AdminRequest(request: request, context: context, services: services))
            return try Response.json(try await gate.approve(try gate.admin.id()).0)
        }
        groups.admin.post("changes/{id}/reject") { request, context in
            let gate = AdminChangeGate(admin: AdminRequest(request: request, context: context, services: services))
            return try Response.json(try await gate.reject(try gate.admin.id()))
        }
        groups.admin.get("settings") { _, _ in
            try Response.json(try await services.storage.organisation().settings)
        }
        groups.admin.patch("settings") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let gate = AdminChangeGate(admin: admin)
            let organisation = try await services.storage.organisation()
            let bytes = try await request.body.collect(upTo: services.configuration.limits.maxBodyBytes)
            guard let patch = try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]
            else {
                throw ServerError.invalidField("body", "must be a JSON object of settings to change")
            }
            let settings = try Self.merge(organisation.settings, patch)
            guard settings != organisation.settings else { throw ServerError.invalidField("body", "changes nothing") }
            switch try await gate.submit(
                .settings(settings), audit: "settingsChanged",
                reason: "settings: \(patch.keys.sorted().joined(separator: ","))", before: organisation)
            {
            case .applied(let after): return try Response.json(after.settings)
            case .pending(let pending): return try Response.json(pending, status: .accepted)
            }
        }
    }

    /// `settings` with the keys of `patch` replaced (objects merged one level deep).
    static func merge(_ settings: AccessSettings, _ patch: [String: Any]) throws -> AccessSettings {
        let data = try RapportJSON.encoder().encode(settings)
        guard var current = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ServerError(.internalError, "settings did not encode as an object")
        }
        for (key, value) in patch {
            guard let old = current[key] else {
                throw ServerError.invalidField(key, "is not a setting; see GET /v1/admin/settings for the names")
            }
            if var object = old as? [String: Any], let update = value as? [String: Any] {
                for (inner, innerValue) in update {
                    guard object[inner] != nil else {
                        throw ServerError.invalidField("\(key).\(inner)", "is not a setting")
                    }
                    object[inner] = innerValue
                }
                current[key] = object
            } else {
                current[key] = value
            }
        }
        do {
            return try RapportJSON.decoder().decode(
                AccessSettings.self, from: try JSONSerialization.data(withJSONObject: current))
        } catch {
            throw ServerError.invalidField("body", "a value has the wrong type; compare with GET /v1/admin/settings")
        }
    }
}
