import Foundation

/// One reading of a ``HybridLogicalClock``: wall-clock milliseconds, a logical counter and the
/// node that made it.
///
/// Timestamps are totally ordered: by ``physicalMillis``, then ``counter``, then ``node``
/// (byte-wise), so two different nodes never produce equal timestamps and every replica picks
/// the same winner. On the wire a timestamp is the string
/// `<13-digit milliseconds>-<5-digit counter>-<node>`, e.g.
/// `1772358600250-00003-6f1c2a7e-0b1d-4c55-9a43-1d2f3e4a5b6c`, whose byte-wise order is the
/// same total order (see `Docs/Protocol.md`, "Clocks").
///
/// ```swift
/// let stamp = try HLCTimestamp(parsing: "1772358600250-00003-device-a")
/// stamp.physicalMillis   // 1772358600250
/// ```
public struct HLCTimestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01 UTC (wall-clock time, possibly advanced by remote clocks).
    public let physicalMillis: Int64
    /// Orders events within one millisecond; resets to 0 when ``physicalMillis`` advances.
    public let counter: Int
    /// The identity of the clock that made the timestamp (a device id, or `server`).
    public let node: String

    /// The largest counter; the clock moves to the next millisecond rather than exceed it.
    public static let maxCounter = 99_999
    /// The largest representable physical time (13 decimal digits, year 2286).
    public static let maxPhysicalMillis: Int64 = 9_999_999_999_999
    /// The longest node name.
    public static let maxNodeLength = 64

    /// The smallest timestamp of `node`, earlier than any real reading.
    public static func zero(node: String) -> HLCTimestamp {
        HLCTimestamp(uncheckedPhysical: 0, counter: 0, node: node)
    }

    /// Creates a timestamp.
    ///
    /// - Throws: ``SyncError/Code/malformedRequest`` if a part is out of range or the node is
    ///   empty, longer than 64 bytes or contains control characters.
    public init(physicalMillis: Int64, counter: Int, node: String) throws {
        guard (0...Self.maxPhysicalMillis).contains(physicalMillis) else {
            throw SyncError(.malformedRequest, "clock milliseconds \(physicalMillis) are outside 0...\(Self.maxPhysicalMillis); send Unix milliseconds")
        }
        guard (0...Self.maxCounter).contains(counter) else {
            throw SyncError(.malformedRequest, "clock counter \(counter) is outside 0...\(Self.maxCounter)")
        }
        guard Self.isValidNode(node) else {
            throw SyncError(.malformedRequest, "clock node '\(node)' must be 1–64 printable bytes; use the device id")
        }
        self.init(uncheckedPhysical: physicalMillis, counter: counter, node: node)
    }

    init(uncheckedPhysical: Int64, counter: Int, node: String) {
        self.physicalMillis = uncheckedPhysical
        self.counter = counter
        self.node = node
    }

    /// Parses the wire form `<13 digits>-<5 digits>-<node>`.
    ///
    /// - Throws: ``SyncError/Code/malformedRequest`` naming what is wrong.
    public init(parsing text: String) throws {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard bytes.count > 20, let millis = digits(0..<13), bytes[13] == 45, let counter = digits(14..<19),
            bytes[19] == 45
        else {
            throw SyncError(
                .malformedRequest,
                "'\(text)' is not a clock; write it as <13-digit milliseconds>-<5-digit counter>-<node>, e.g. 1772358600250-00000-device-a")
        }
        try self.init(
            physicalMillis: millis, counter: Int(counter), node: String(decoding: bytes[20...], as: UTF8.self))
    }

    /// The wire form, e.g. `1772358600250-00003-device-a`.
    public var description: String {
        Self.pad(String(physicalMillis), 13) + "-" + Self.pad(String(counter), 5) + "-" + node
    }

    /// Total order: physical time, then counter, then node (byte-wise).
    public static func < (lhs: HLCTimestamp, rhs: HLCTimestamp) -> Bool {
        if lhs.physicalMillis != rhs.physicalMillis { return lhs.physicalMillis < rhs.physicalMillis }
        if lhs.counter != rhs.counter { return lhs.counter < rhs.counter }
        return Array(lhs.node.utf8).lexicographicallyPrecedes(Array(rhs.node.utf8))
    }

    /// Decodes the wire string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch let error as SyncError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    /// Encodes the wire string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func isValidNode(_ node: String) -> Bool {
        let bytes = node.utf8
        return !bytes.isEmpty && bytes.count <= maxNodeLength && bytes.allSatisfy { $0 > 32 && $0 != 127 }
    }

    private static func pad(_ digits: String, _ width: Int) -> String {
        digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
