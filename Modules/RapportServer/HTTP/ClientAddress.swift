import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who is signing in, as far as the network says: the client address that sign-in throttling
/// counts (`Docs/Security.md`, "Sign-in throttling").
///
/// The address is the connection's peer, unless that peer is one of the configured
/// ``ServerConfiguration/trustedProxies``: then `X-Forwarded-For` is read from the right (the
/// entry the nearest proxy appended) and the first address that is not itself a trusted proxy
/// is the client. Entries further left were written by the client and are never believed.
///
/// ```swift
/// let client = ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: ["203.0.113.7"], trustedProxies: ["10.0.0.5"])
/// // "203.0.113.7"
/// ClientAddress.throttleKey("2001:db8:1:2:3:4:5:6")   // "2001:db8:1:2::/64"
/// ```
public enum ClientAddress {
    /// The client address of a request from `peer` (an IP address as text, or `nil` when the
    /// connection has none, e.g. a test channel) carrying the given `X-Forwarded-For` values.
    public static func resolve(peer: String?, forwardedFor: [String], trustedProxies: [String]) -> String? {
        guard let peer = peer.flatMap(normalised) else { return nil }
        guard !trustedProxies.isEmpty, trustedProxies.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var client = peer
        for hop in hops.reversed() {
            guard let address = normalised(hop) else { break }  // garbage: stop at the last good hop
            client = address
            if !trustedProxies.contains(address) { break }
        }
        return client
    }

    /// The IP address of a socket address as text, or `nil` (Unix sockets).
    public static func text(of address: SocketAddress?) -> String? {
        guard let address, let ip = address.ipAddress else { return nil }
        return normalised(ip)
    }

    /// An IP address in canonical text form (IPv4-mapped IPv6 as IPv4; a zone index dropped),
    /// or `nil` if `text` is not an IP address.
    public static func normalised(_ text: String) -> String? {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return format(v4) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        return format(v6)
    }

    /// The key failures are counted under: an IPv4 address as it is; an IPv6 address by its /64
    /// network, since one subscriber usually holds a whole /64 and could otherwise rotate
    /// through addresses for free.
    public static func throttleKey(_ address: String) -> String {
        var v6 = in6_addr()
        guard !address.contains("."), inet_pton(AF_INET6, address, &v6) == 1 else { return address }
        withUnsafeMutableBytes(of: &v6) { bytes in
            for index in 8..<16 { bytes[index] = 0 }
        }
        return format(v6) + "/64"
    }

    private static func format(_ address: in_addr) -> String {
        var address = address
        var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func format(_ address: in6_addr) -> String {
        var address = address
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
