import Foundation
import RapportModels
import RapportProtocol
import Testing

/// Every JSON fixture under `Docs/fixtures` decodes with the Swift wire types and re-encodes
/// to the same JSON, so the fixtures a client developer tests against never rot.
@Suite("Protocol fixtures")
struct FixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Docs/fixtures").standardizedFileURL

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    static func roundTrip<T: Codable>(_ type: T.Type, _ data: Data) throws -> (T, JSONValue, JSONValue) {
        let value = try SyncWire.decode(T.self, from: data)
        let original = try JSONDecoder().decode(JSONValue.self, from: data)
        let again = try JSONDecoder().decode(JSONValue.self, from: SyncWire.encode(value))
        return (value, original, again)
    }

    @Test("the fixture set covers every message and every error code")
    func coverage() {
        let names = Set(Self.files)
        for required in ["push-request.json", "push-response.json", "pull-request.json", "pull-request-first.json", "pull-response.json"] {
            #expect(names.contains(required), "missing fixture \(required)")
        }
        for code in [
            "unsupportedProtocolVersion", "malformedRequest", "bodyTooLarge", "batchTooLarge", "pageTooLarge", "invalidCursor",
            "resetRequired", "wipeRequired", "rateLimited", "unavailable", "unauthorized", "forbidden", "internalError",
        ] {
            #expect(names.contains("error-\(code).json"), "missing fixture for \(code)")
            #expect(SyncError.Code(wireName: code) != nil)
        }
    }

    @Test("each fixture decodes and re-encodes to equal JSON", arguments: FixtureTests.files)
    func roundTrips(_ name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let original: JSONValue
        let again: JSONValue
        switch name {
        case let name where name.hasPrefix("push-request"):
            let (request, a, b) = try Self.roundTrip(PushRequest.self, data)
            (original, again) = (a, b)
            for mutation in request.mutations {
                for path in mutation.fields.keys {
                    #expect(FieldRegistry.descriptor(mutation.entity, path) != nil, "\(name): unknown field \(path)")
                }
            }
        case let name where name.hasPrefix("push-response"):
            let (response, a, b) = try Self.roundTrip(PushResponse.self, data)
            (original, again) = (a, b)
            for record in response.results.compactMap(\.record) where !record.deleted {
                // Masked values (`138****8000`) are not valid phone numbers: decode only.
                if record.masked == nil {
                    _ = try EntityFields.validated(record.entity, from: record.fields)
                } else {
                    _ = try EntityFields.entity(record.entity, from: record.fields)
                }
            }
        case let name where name.hasPrefix("pull-request"):
            let (request, a, b) = try Self.roundTrip(PullRequest.self, data)
            (original, again) = (a, b)
            if let cursor = request.cursor { _ = try SyncCursor(encoded: cursor) }
        case let name where name.hasPrefix("pull-response"):
            let (response, a, b) = try Self.roundTrip(PullResponse.self, data)
            (original, again) = (a, b)
            _ = try SyncCursor(encoded: response.cursor)
            for change in response.changes where change.kind == .full {
                _ = try EntityFields.validated(change.entity, from: change.fields)
            }
        case let name where name.hasPrefix("error-"):
            let (body, a, b) = try Self.roundTrip(SyncErrorBody.self, data)
            (original, again) = (a, b)
            #expect("error-\(body.error.code).json" == name)
            #expect(body.syncError.code.wireName == body.error.code)
        case let name where name.hasPrefix("auth-"):
            // Sign-in messages belong to the HTTP binding: RapportServerTests and RapportClientTests
            // decode them with the server's and the client library's types.
            return
        default:
            Issue.record("\(name) does not start with a known message prefix")
            return
        }
        #expect(original == again, "\(name) does not survive a decode and encode")
    }

    @Test("the server's own errors encode as the fixtures describe")
    func serverErrorsMatchFixtures() throws {
        let limits = SyncLimits()
        let tooMany = PushRequest(
            mutations: Array(
                repeating: Mutation(
                    clientMutationId: UUID(), entity: .customer, recordId: UUID(), op: .delete, baseVersion: 1, fields: [:],
                    hlc: try HLCTimestamp(parsing: "1772358600250-00000-device-a")),
                count: limits.maxBatchSize + 1))
        let checks: [(String, () throws -> Void)] = [
            ("batchTooLarge", { _ = try SyncWire.decodePush(SyncWire.encode(tooMany), limits: limits) }),
            ("bodyTooLarge", { _ = try SyncWire.decodePush(Data(count: limits.maxBodyBytes + 1), limits: limits) }),
            ("unsupportedProtocolVersion", { _ = try SyncWire.decodePull(Data(#"{"protocolVersion": 2}"#.utf8), limits: limits) }),
            ("malformedRequest", { _ = try SyncWire.decodePush(Data(#"{"protocolVersion": 1, "mutations": [{}]}"#.utf8), limits: limits) }),
            ("pageTooLarge", { _ = try SyncWire.decodePull(Data(#"{"protocolVersion": 1, "limit": 100000}"#.utf8), limits: limits) }),
            ("invalidCursor", { _ = try SyncCursor(encoded: "c1.garbage") }),
        ]
        for (code, body) in checks {
            #expect(throws: SyncError.self, "\(code)") { try body() }
            do { try body() } catch let error as SyncError {
                #expect(error.code.wireName == code)
                let decoded = try SyncWire.decode(SyncErrorBody.self, from: SyncWire.encode(SyncErrorBody(error)))
                #expect(decoded.syncError.code == error.code)
            }
        }
    }
}
