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
            if let status = try gate.admin.query("status") {
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
            let bytes = try await request.jsonBody(limit: services.configuration.limits.maxBodyBytes)
            guard let patch = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any]
            else {
                throw ServerError.invalidField("body", "must be a JSON object of settings to change")
            }
            try AdminRequest.refuseNulls(in: patch, path: "", except: [])
            let settings = try Self.merge(organisation.settings, patch)
            try Self.validate(settings)
            // A patch that changes nothing is answered like one that did: PATCH is idempotent.
            guard settings != organisation.settings else { return try Response.json(organisation.settings) }
            switch try await gate.submit(
                .settings(settings), audit: "settingsChanged",
                reason: "settings: \(patch.keys.sorted().joined(separator: ","))", before: organisation)
            {
            case .applied(let after): return try Response.json(after.settings)
            case .pending(let pending): return try Response.json(pending, status: .accepted)
            }
        }
    }

    /// The largest count a setting or a role quota takes.
    static let maximumCount = 1_000_000_000

    /// Refuses values outside their documented range (Docs/openapi.yaml, `SettingsPatch`): 400
    /// naming the setting. Each range is wide enough for any real organisation and keeps the
    /// arithmetic on durations, hours and counts far from overflow.
    static func validate(_ settings: AccessSettings) throws(ServerError) {
        let durations = [
            ("defaultGrantDuration", settings.defaultGrantDuration), ("maximumGrantDuration", settings.maximumGrantDuration),
            ("defaultBreakGlassDuration", settings.defaultBreakGlassDuration),
            ("maximumBreakGlassDuration", settings.maximumBreakGlassDuration),
        ]
        for (name, value) in durations where !(value > 0 && value <= 366 * 86_400) {
            throw ServerError.invalidField(name, "must be more than 0 and at most 31622400 seconds (366 days)")
        }
        guard (-50_400...50_400).contains(settings.utcOffsetSeconds) else {
            throw ServerError.invalidField("utcOffsetSeconds", "must be from -50400 to 50400 (UTC-14 to UTC+14)")
        }
        guard (0...23).contains(settings.workdayStartHour) else {
            throw ServerError.invalidField("workdayStartHour", "must be from 0 to 23")
        }
        guard (0...24).contains(settings.workdayEndHour) else {
            throw ServerError.invalidField("workdayEndHour", "must be from 0 to 24")
        }
        guard settings.workingWeekdays.allSatisfy({ (1...7).contains($0) }) else {
            throw ServerError.invalidField("workingWeekdays", "must hold weekdays from 1 (Monday) to 7 (Sunday)")
        }
        let anomaly = settings.anomaly
        for (name, value) in [
            ("spikeFactor", anomaly.spikeFactor), ("highSpikeFactor", anomaly.highSpikeFactor),
            ("noticeSpikeFactor", anomaly.noticeSpikeFactor),
        ] where !(value > 0 && value <= 1_000) {
            throw ServerError.invalidField("anomaly.\(name)", "must be more than 0 and at most 1000")
        }
        let quotas = settings.noticeQuotas
        let bounds = settings.wideningBounds
        let counts = [
            ("noticeQuotas.distinctCustomersPerDay", quotas.distinctCustomersPerDay),
            ("noticeQuotas.exportsPerDay", quotas.exportsPerDay),
            ("noticeQuotas.sensitiveRevealsPerHour", quotas.sensitiveRevealsPerHour),
            ("anomaly.minimumDistinctCustomers", anomaly.minimumDistinctCustomers),
            ("anomaly.noticeMinimumDistinctCustomers", anomaly.noticeMinimumDistinctCustomers),
            ("anomaly.minimumBaselineDays", anomaly.minimumBaselineDays),
            ("anomaly.withoutBaselineCeiling", anomaly.withoutBaselineCeiling),
            ("anomaly.outOfHoursMedium", anomaly.outOfHoursMedium), ("anomaly.outOfHoursHigh", anomaly.outOfHoursHigh),
            ("anomaly.noticeOutOfHoursMedium", anomaly.noticeOutOfHoursMedium),
            ("anomaly.refusalsMedium", anomaly.refusalsMedium),
            ("anomaly.noticeActivityCustomers", anomaly.noticeActivityCustomers),
            ("wideningBounds.maxReachedStaff", bounds.maxReachedStaff),
            ("wideningBounds.maxGrantedCustomers", bounds.maxGrantedCustomers),
        ]
        for (name, value) in counts where !(0...maximumCount).contains(value) {
            throw ServerError.invalidField(name, "must be a whole number from 0 to \(maximumCount)")
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
