import Foundation
import Logging
import NIOHTTP1
import RapportServer
import RapportServerTesting
import Synchronization
import Testing

/// `logFormat` and the request id on every line of a request (Docs/Operations.md, *Logs*).
@Suite("Logs: formats and the request id on every line")
struct LogFormatTests {
    /// Lines a test server wrote.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var sink: RapportLogHandler.Sink { { line in self.lines.withLock { $0.append(line) } } }
    }

    @Test("a service's own line written while serving a request carries that request's id")
    func serviceLinesCarryTheRequestId() async throws {
        let lines = Lines()
        let server = try await LiveServer.start(logLevel: .info, logFormat: .json, logSink: lines.sink)
        try await server.addStaff(login: "ana")
        let reply = try await server.post(
            "/v1/auth/login",
            LoginRequestBody(loginName: "ana", password: "correct horse battery", device: .init(id: UUID())))
        #expect(reply.status == 200, "\(reply.text)")
        let requestId = try #require(reply.headers.first(name: "X-Request-ID"))
        try await server.stop()

        let objects = lines.all.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String]
        }
        #expect(objects.count == lines.all.count, "every line is one JSON object of strings: \(lines.all)")
        // IdentityService logs "signed in" with its own logger, which knows nothing of HTTP.
        let signedIn = try #require(objects.first { $0["msg"] == "signed in" }, "\(lines.all)")
        #expect(signedIn["request_id"] == requestId)
        let requestLine = try #require(objects.first { $0["msg"] == "request" && $0["route"] == "/v1/auth/login" })
        #expect(requestLine["request_id"] == requestId)
        #expect(requestLine["hb.request.id"] == nil)
        // Lines outside any request have none.
        #expect(objects.filter { $0["request_id"] == nil }.allSatisfy { $0["msg"] != "signed in" })
    }

    @Test("logfmt quotes what needs quoting; text keeps the swift-log shape")
    func logfmtAndText() {
        let lines = Lines()
        var logger = Logger(label: "rapport-server") {
            RapportLogHandler(label: $0, format: .logfmt, level: .info, sink: lines.sink)
        }
        logger[metadataKey: "path"] = "/a b"
        logger.info("disk \"full\"", metadata: ["code": "storageFull"])
        logger.debug("not written")
        var text = Logger(label: "rapport-server") {
            RapportLogHandler(label: $0, format: .text, level: .info, sink: lines.sink)
        }
        text.logLevel = .info
        RequestLogScope.$requestId.withValue("req-1") { text.warning("slow", metadata: ["ms": "900"]) }
        let written = lines.all
        #expect(written.count == 2, "\(written)")
        let logfmt = written[0]
        #expect(logfmt.hasPrefix("ts="))
        #expect(logfmt.contains(#" level=info label=rapport-server msg="disk \"full\"" code=storageFull path="/a b""#), "\(logfmt)")
        #expect(written[1].hasSuffix(" warning rapport-server: ms=900 request_id=req-1 slow"), "\(written[1])")
    }

    @Test("a bad logFormat is refused naming its source")
    func badFormatIsRefused() {
        #expect(throws: ServerError.self) {
            try ServerConfiguration.load(flags: ["logFormat": "xml"], environment: [:])
        }
        let parsed = try? ServerConfiguration.load(flags: [:], environment: ["RAPPORT_LOG_FORMAT": "JSON"])
        #expect(parsed?.logFormat == .json)
        do {
            _ = try ServerConfiguration.load(flags: ["logFormat": "xml"], environment: [:])
        } catch {
            #expect(error.message.contains("--log-format"))
            #expect(error.message.contains("text, json or logfmt"))
        }
    }
}

/// The sign-in body, spelled out so the test does not depend on the protocol module's types.
private struct LoginRequestBody: Encodable {
    struct Device: Encodable {
        var id: UUID
        var name = "Test phone"
        var platform = "ios"
    }
    var loginName: String
    var password: String
    var device: Device
}
