import Foundation
import Hummingbird
import RapportModels

/// Customer exports, held for a second administrator (``CustomerExportDesk``):
/// `POST /v1/admin/customers/exports` `{"reason": "…"}` (202, pending), `GET …/exports`,
/// `GET …/exports/{id}`, `POST …/exports/{id}/approve` and `/reject` (another administrator),
/// and `POST …/exports/{id}/download` (the requester, once, within the window): the customers
/// as JSON Lines.
struct AdminExportRoutes: RouteModule {
    struct NewExport: Decodable {
        /// Why the export is needed (3–500 characters).
        var reason: String
    }

    static func desk(_ request: Request, _ context: RapportRequestContext, _ services: ServerServices) -> CustomerExportDesk {
        CustomerExportDesk(admin: AdminRequest(request: request, context: context, services: services))
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.post("customers/exports") { request, context in
            let desk = Self.desk(request, context, services)
            let body = try await desk.admin.body(NewExport.self)
            return try Response.json(try await desk.request(reason: body.reason), status: .accepted)
        }
        groups.admin.get("customers/exports") { request, context in
            let desk = Self.desk(request, context, services)
            let now = desk.now
            return try Response.json(ItemList(items: try await desk.exports().map { $0.shown(at: now) }))
        }
        groups.admin.get("customers/exports/{id}") { request, context in
            let desk = Self.desk(request, context, services)
            return try Response.json(try await desk.find(try desk.admin.id()).shown(at: desk.now))
        }
        groups.admin.post("customers/exports/{id}/approve") { request, context in
            let desk = Self.desk(request, context, services)
            return try Response.json(try await desk.approve(try desk.admin.id()))
        }
        groups.admin.post("customers/exports/{id}/reject") { request, context in
            let desk = Self.desk(request, context, services)
            return try Response.json(try await desk.reject(try desk.admin.id()))
        }
        groups.admin.post("customers/exports/{id}/download") { request, context in
            let desk = Self.desk(request, context, services)
            let (export, body) = try await desk.download(try desk.admin.id())
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/x-ndjson; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"customers-\(export.id.uuidString.lowercased()).jsonl\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
