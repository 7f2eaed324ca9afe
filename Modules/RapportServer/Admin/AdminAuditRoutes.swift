import Foundation
import Hummingbird
import NIOCore
import RapportAccess
import RapportModels

/// `GET /v1/admin/audit` (query, newest first), `POST /v1/admin/audit/verify`,
/// `GET /v1/admin/audit/export` (JSON Lines, streamed).
struct AdminAuditRoutes: RouteModule {
    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.get("audit") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let cursor: UInt64?
            if let text = try admin.query("cursor") {
                guard let value = UInt64(text) else {
                    throw ServerError.invalidField("cursor", "is not a cursor this server gave out; start without one")
                }
                cursor = value
            } else {
                cursor = nil
            }
            let query = AuditQuery(
                staffId: try admin.queryID("staff"), recordId: try admin.queryID("customer") ?? admin.queryID("record"),
                action: try admin.query("action").map(AuditAction.init(rawValue:)), from: try admin.queryDate("from"),
                to: try admin.queryDate("to"), before: cursor,
                limit: try admin.queryInt("limit", in: 1...AuditQuery.maximumLimit) ?? 100)
            return try Response.json(try await services.audit.query(query))
        }
        groups.admin.post("audit/verify") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let report = try await services.audit.verify()
            try await admin.audit(
                "auditVerified", allowed: true,
                reason: report.intact ? "intact" : "\(report.problem ?? "problem") at \(report.firstBadSequence ?? 0)")
            return try Response.json(report)
        }
        groups.admin.get("audit/export") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let from = try admin.queryDate("from")
            let to = try admin.queryDate("to")
            try await admin.audit(.export, reason: "audit log export")
            let audit = services.audit
            let body = ResponseBody { writer in
                var after: UInt64 = 0
                while true {
                    let page = try await audit.entries(after: after, limit: 1_000)
                    guard let last = page.last else { break }
                    var buffer = ByteBuffer()
                    let encoder = RapportJSON.encoder()
                    for entry in page {
                        if let from, entry.time < from { continue }
                        if let to, entry.time >= to { continue }
                        buffer.writeBytes(try encoder.encode(AuditLine(entry)))
                        buffer.writeInteger(UInt8(ascii: "\n"))
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                    after = last.sequence
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/x-ndjson; charset=utf-8", .cacheControl: "no-store"], body: body)
        }
    }
}
