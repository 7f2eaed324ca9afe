import Foundation
import RapportModels
import RapportProtocol

/// What the live channel (`GET /v1/sync/events`, server-sent events) says.
public enum LiveEvent: Sendable, Hashable {
    /// The stream is open.
    case connected
    /// Something changed on the server; pull.
    case changes
    /// The device or its owner was revoked; wipe.
    case wipe(WipeInstruction)
    /// The stream ended or failed; the channel reconnects after the delay (ms).
    case disconnected(reason: String, retryMillis: Int)
}

/// Parses server-sent events line by line (the subset the server writes: `event:`, `data:`,
/// `retry:` and `:` comments; an empty line ends an event).
public struct ServerSentEventParser: Sendable {
    /// One dispatched event.
    public struct Event: Sendable, Hashable {
        /// `event:` (default `message`).
        public var name: String
        /// `data:` lines joined with newlines.
        public var data: String
    }

    var name: String?
    var data: [String] = []
    /// The last `retry:` value.
    public private(set) var retryMillis: Int?

    /// An empty parser.
    public init() {}

    /// Feeds one line (without its newline); returns an event when the line ends one.
    public mutating func feed(_ line: String) -> Event? {
        if line.isEmpty {
            defer { name = nil; data = [] }
            guard name != nil || !data.isEmpty else { return nil }
            return Event(name: name ?? "message", data: data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = Substring(line)
            value = ""
        }
        switch field {
        case "event": name = String(value)
        case "data": data.append(String(value))
        case "retry": retryMillis = Int(value) ?? retryMillis
        default: break
        }
        return nil
    }
}

/// Subscribes to the live channel and reconnects until cancelled.
struct LiveChannel: Sendable {
    let session: SessionManager

    /// Events until the consuming task is cancelled or a wipe arrives.
    func events() -> AsyncStream<LiveEvent> {
        AsyncStream { continuation in
            let task = Task {
                var failures = 0
                while !Task.isCancelled {
                    var retry = 5000
                    var reason = "the stream ended"
                    do {
                        let token = try await session.accessToken()
                        let (reply, lines) = try await session.http.lines("/v1/sync/events", token: token)
                        if reply.status == 401 {
                            failures += 1
                            if failures > 3 {
                                throw ClientError(.sessionExpired, "the server keeps refusing this device's token; sign in again")
                            }
                            try await session.refresh()
                            continue
                        }
                        guard reply.isSuccess else {
                            let failure = SessionManager.failure(reply, doing: "opening the live channel")
                            if failure.code == .wiped {
                                let wipe = reply.errorBody?.wipe ?? WipeInstruction(reason: .deviceRevoked, message: failure.message)
                                continuation.yield(.wipe(wipe))
                                break
                            }
                            throw failure
                        }
                        failures = 0
                        continuation.yield(.connected)
                        var parser = ServerSentEventParser()
                        var wiped = false
                        for try await line in lines {
                            guard let event = parser.feed(line) else { continue }
                            switch event.name {
                            case "changes": continuation.yield(.changes)
                            case "wipe":
                                let wipe = (try? RapportJSON.decoder().decode(WipeInstruction.self, from: Data(event.data.utf8)))
                                    ?? WipeInstruction(reason: .deviceRevoked, message: "this device was revoked")
                                continuation.yield(.wipe(wipe))
                                wiped = true
                            default: break
                            }
                            if wiped { break }
                        }
                        if wiped { break }
                        if let millis = parser.retryMillis { retry = millis }
                    } catch let error as ClientError {
                        if error.code == .sessionExpired || error.code == .wiped {
                            continuation.yield(.disconnected(reason: error.message, retryMillis: -1))
                            break
                        }
                        reason = error.message
                        failures += 1
                    } catch {
                        reason = "\(error)"
                        failures += 1
                    }
                    if Task.isCancelled { break }
                    let delay = min(retry * (1 << min(failures, 4)), 60_000)
                    continuation.yield(.disconnected(reason: reason, retryMillis: delay))
                    try? await Task.sleep(for: .milliseconds(delay))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
