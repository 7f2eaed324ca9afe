import Foundation
import Logging

/// How the server writes its log lines (`logFormat`: `text`, `json` or `logfmt`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-12-07T20:31:02Z info rapport-server: request_id=… route=/v1/sync/pull request`
    case text
    /// One JSON object per line: `{"ts":"…","level":"info","label":"…","msg":"…","request_id":"…"}`.
    case json
    /// `ts=… level=info label=… msg="…" request_id=…` — key=value pairs, values quoted when needed.
    case logfmt
}

/// The request a task is serving, so that every log line written while serving it carries its
/// id — also the lines services write with their own loggers (identity, sync, audit), which
/// know nothing of HTTP. ``ObservabilityMiddleware`` sets it around each request.
public enum RequestLogScope {
    /// The `X-Request-ID` of the request the current task serves, or `nil` outside a request.
    @TaskLocal public static var requestId: String?
}

/// The server's log handler: one line per event in the configured ``LogFormat``, with the
/// serving request's id (``RequestLogScope``) as `request_id`, on standard error (or any sink).
///
/// Hummingbird's own `hb.request.id` metadata is written as `request_id` too, so a request's
/// lines can be found with one key whoever logged them.
public struct RapportLogHandler: LogHandler {
    /// Where finished lines go (one call per line, without the newline).
    public typealias Sink = @Sendable (String) -> Void

    /// The lowest level written.
    public var logLevel: Logger.Level
    /// Metadata attached to every line of this logger.
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let format: LogFormat
    private let sink: Sink

    /// A handler writing `format` lines from `label` at `level` or above to `sink`
    /// (standard error by default).
    public init(label: String, format: LogFormat, level: Logger.Level, sink: @escaping Sink = RapportLogHandler.standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    /// Writes a line to standard error.
    public static let standardError: Sink = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Metadata of this logger by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats and writes one event.
    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        if let hummingbirdId = fields.removeValue(forKey: "hb.request.id") {
            fields["request_id"] = hummingbirdId
        }
        if fields["request_id"] == nil, let id = RequestLogScope.requestId {
            fields["request_id"] = .string(id)
        }
        let timestamp = Date().formatted(.iso8601)
        sink(Self.line(format: format, timestamp: timestamp, level: event.level, label: label, message: "\(event.message)", fields: fields))
    }

    /// One formatted line (exposed for tests and tools that format the same way).
    static func line(
        format: LogFormat, timestamp: String, level: Logger.Level, label: String, message: String,
        fields: Logger.Metadata
    ) -> String {
        let sorted = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value.description) }
        switch format {
        case .text:
            let pairs = sorted.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            return "\(timestamp) \(level) \(label): \(pairs.isEmpty ? "" : pairs + " ")\(message)"
        case .logfmt:
            let head = [("ts", timestamp), ("level", level.rawValue), ("label", label), ("msg", message)]
            return (head + sorted).map { "\(logfmtKey($0.0))=\(logfmtValue($0.1))" }.joined(separator: " ")
        case .json:
            var object: [String: String] = ["ts": timestamp, "level": level.rawValue, "label": label, "msg": message]
            for (key, value) in sorted where object[key] == nil { object[key] = value }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    private static func logfmtKey(_ key: String) -> String {
        String(key.map { $0 == " " || $0 == "=" || $0 == "\"" ? "_" : $0 })
    }

    private static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
