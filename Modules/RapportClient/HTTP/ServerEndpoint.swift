import Foundation

/// The base URL of a Rapport server, checked once: `http` or `https`, a host, no query.
///
/// ```swift
/// let server = try ServerEndpoint("https://crm.example.com")
/// ```
public struct ServerEndpoint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The URL without a trailing slash, e.g. `https://crm.example.com`.
    public let baseURL: String

    /// Parses and checks `text`.
    ///
    /// - Throws: ``ClientError/Code/invalidArgument`` naming what is wrong.
    public init(_ text: String) throws(ClientError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else {
            throw ClientError(.invalidArgument, "'\(text)' is not a server URL; give one like https://crm.example.com or http://127.0.0.1:8080")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ClientError(.invalidArgument, "'\(text)' has no host; give one like https://crm.example.com")
        }
        guard components.query == nil, components.fragment == nil else {
            throw ClientError(.invalidArgument, "'\(text)' must not have a query or fragment; give only scheme, host, port and path")
        }
        var base = trimmed
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
    }

    /// The full URL of `path` (which starts with `/`).
    public func url(_ path: String) -> String { baseURL + path }

    /// Whether the connection is encrypted.
    public var isTLS: Bool { baseURL.lowercased().hasPrefix("https:") }

    /// The base URL.
    public var description: String { baseURL }
}
