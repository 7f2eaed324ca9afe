import Foundation
import NIOHTTP1
import RapportProtocol
import RapportServer
import RapportServerTesting
import Testing

@Suite("Bad input gets a 4xx with a clear message and the server keeps serving")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var path: String
        var body: [UInt8]?
        var status: Int
        var code: String
        var messageContains: String
        var allow: String? = nil
        var testDescription: String { name }
    }

    static let device = #""device": {"id": "6F9619FF-8B86-D011-B42D-00CF4FC964FF", "name": "p", "platform": "ios"}"#
    static let cases: [Case] = [
        Case(
            name: "wrong type", method: "POST", path: "/v1/auth/login",
            body: Array(#"{"loginName": 5, "password": "x", \#(device)}"#.utf8), status: 400, code: "malformedRequest",
            messageContains: "'loginName'"),
        Case(
            name: "missing field", method: "POST", path: "/v1/auth/login",
            body: Array(#"{"loginName": "ana", \#(device)}"#.utf8), status: 400, code: "malformedRequest",
            messageContains: "'password' is missing"),
        Case(
            name: "nested wrong type", method: "POST", path: "/v1/auth/login",
            body: Array(
                #"{"loginName": "ana", "password": "x", "device": {"id": "not-a-uuid", "name": "p", "platform": "ios"}}"#
                    .utf8),
            status: 400, code: "malformedRequest", messageContains: "'device.id'"),
        Case(
            name: "invalid UTF-8", method: "POST", path: "/v1/auth/login",
            body: Array(#"{"loginName": ""#.utf8) + [0xFF, 0xFE] + Array(#"", "password": "x"}"#.utf8), status: 400,
            code: "malformedRequest", messageContains: "UTF-8"),
        Case(
            name: "not JSON", method: "POST", path: "/v1/auth/refresh", body: Array("refreshToken=abc".utf8),
            status: 400,
            code: "malformedRequest", messageContains: "not valid JSON"),
        Case(
            name: "empty body", method: "POST", path: "/v1/auth/refresh", body: nil, status: 400,
            code: "malformedRequest",
            messageContains: "empty"),
        Case(
            name: "unknown route", method: "GET", path: "/v1/nothing-here", body: nil, status: 404, code: "notFound",
            messageContains: "openapi"),
        Case(
            name: "wrong method", method: "GET", path: "/v1/auth/login", body: nil, status: 405,
            code: "methodNotAllowed", messageContains: "takes POST", allow: "POST"),
        Case(
            name: "wrong method on a path with a parameter", method: "DELETE",
            path: "/v1/admin/staff/6F9619FF-8B86-D011-B42D-00CF4FC964FF", body: nil, status: 405,
            code: "methodNotAllowed", messageContains: "GET, PATCH", allow: "GET, PATCH"),
        Case(
            name: "wrong method where a literal path shadows a parameter", method: "PUT", path: "/v1/admin/roles/assign",
            body: nil, status: 405, code: "methodNotAllowed", messageContains: "takes POST", allow: "POST"),
    ]

    @Test(arguments: cases)
    func refusedClearly(_ input: Case) async throws {
        let server = try await TestServer.start()
        let reply = try await server.send(.init(rawValue: input.method), input.path, body: input.body.map { Data($0) })
        #expect(reply.status == input.status)
        #expect(reply.errorCode == input.code)
        #expect(reply.errorMessage.contains(input.messageContains), "message: \(reply.errorMessage)")
        #expect(reply.headers["Allow"].first == input.allow)
        #expect(try await server.send(.GET, "/healthz").status == 200)
        try await server.stop()
    }

    @Test func errorMessagesNeverEchoValues() async throws {
        let server = try await TestServer.start()
        let reply = try await server.send(
            .POST, "/v1/auth/login",
            body: Data(#"{"loginName": "secret-value-123", "password": 42, \#(Self.device)}"#.utf8))
        #expect(reply.status == 400)
        #expect(!reply.text.contains("secret-value-123"))
        #expect(!reply.text.contains("42"))
        try await server.stop()
    }

    @Test(arguments: [false, true])
    func oversizedBodiesGet413(streamed: Bool) async throws {
        let server = try await TestServer.start { $0.limits.maxBodyBytes = 2_048 }
        let big =
            Data(#"{"refreshToken": ""#.utf8) + Data(repeating: UInt8(ascii: "a"), count: 8_000) + Data(#""}"#.utf8)
        let reply = try await server.send(.POST, "/v1/auth/refresh", body: big, streamed: streamed)
        #expect(reply.status == 413)
        #expect(reply.errorCode == "bodyTooLarge")
        #expect(reply.errorMessage.contains("2048"))
        #expect(try await server.send(.GET, "/healthz").status == 200)
        try await server.stop()
    }
}
