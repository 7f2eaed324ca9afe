import Foundation

/// A half-open interval of time `[start, end)`.
public struct TimeWindow: Hashable, Codable, Sendable {
    /// The first instant inside.
    public var start: Date
    /// The first instant outside.
    public var end: Date

    /// Creates a window.
    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// A window with no end.
    public static func open(from start: Date) -> TimeWindow {
        TimeWindow(start: start, end: .distantFuture)
    }

    /// Whether `date` lies in `[start, end)`.
    @inlinable
    public func contains(_ date: Date) -> Bool { start <= date && date < end }
}
