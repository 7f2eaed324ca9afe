import Foundation
import Hummingbird
import RapportAccess

/// Devices: `GET /v1/admin/devices` (`?staff=`), `POST /v1/admin/devices/{id}/revoke` and
/// `/wipe`. Both end every session of the device and make its next request answer
/// `wipeRequired`, so the app crypto-shreds its store; `wipe` records that erasure was ordered.
struct AdminDeviceRoutes: RouteModule {
    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.get("devices") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let people: [UUID]
            if let staff = try admin.queryID("staff") {
                people = [try await admin.staff(staff).id]
            } else {
                people = try await services.storage.organisation().staff.map(\.id)
            }
            var devices: [RegisteredDevice] = []
            for id in people { devices += try await services.storage.devices(staffId: id) }
            return try Response.json(ItemList(items: devices.map(DeviceView.init)))
        }
        for (command, action) in [("revoke", AuditAction.deviceRevoked), ("wipe", "deviceWipeOrdered")] {
            groups.admin.post("devices/{id}/\(command)") { request, context in
                let admin = AdminRequest(request: request, context: context, services: services)
                let id = try admin.id()
                guard let device = try await services.storage.device(id: id) else {
                    throw ServerError(.notFound, "no device has id \(id); list devices with GET /v1/admin/devices")
                }
                try await services.identity.revokeDevice(id: id)
                try await admin.auditChange(action, records: [device.device.staffId, id])
                return try Response.json(DeviceView(try await services.storage.device(id: id) ?? device))
            }
        }
    }
}
