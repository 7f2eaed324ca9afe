import Foundation

/// A Rapport server's base URL, normalised: `http` or `https`, a host, an optional port, no
/// trailing slash, no query.
///
/// ```swift
/// try ServerAddress.parse("https://crm.example.com/").url   // "https://crm.example.com"
/// ```
public struct ServerAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The base URL without a trailing slash.
    public let url: String

    /// Parses and normalises `text`.
    ///
    /// - Throws: ``AdminError/Code/usage`` for anything but an `http(s)://host[:port][/path]` URL.
    public static func parse(_ text: String) throws(AdminError) -> ServerAddress {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            throw AdminError(
                .usage,
                "'\(text)' is not a server URL; write it like https://crm.example.com or http://127.0.0.1:8080")
        }
        return ServerAddress(url: trimmed.replacingOccurrences(of: components.scheme!, with: scheme, options: .anchored))
    }

    init(url: String) {
        self.url = url
    }

    /// Whether the server is spoken to over TLS.
    public var isTLS: Bool { url.hasPrefix("https://") }

    /// The base URL.
    public var description: String { url }
}
