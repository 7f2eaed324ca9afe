import Foundation

/// A customer's recency, frequency and monetary figures over the trailing window, and their
/// 1–5 scores within the customer's segment (individuals and enterprises apart).
///
/// 5 is best on every axis: most recent, most orders, most revenue.
public struct InsightRFMScore: Sendable, Codable, Hashable {
    /// The customer.
    public var customerId: UUID
    /// The segment the customer was scored in.
    public var kind: InsightCustomerKind
    /// Calendar days from the last order in the window to `asOf`.
    public var recencyDays: Int
    /// Orders in the window.
    public var frequency: Int
    /// Net revenue in the window, minor units.
    public var monetary: Int64
    /// Recency score, 1...5.
    public var recencyScore: Int
    /// Frequency score, 1...5.
    public var frequencyScore: Int
    /// Monetary score, 1...5.
    public var monetaryScore: Int
    /// Whether recency was scored by quintile or by fixed cut-offs.
    public var recencyMethod: InsightRFMRecencyMethod
    /// Number of scored customers in the segment.
    public var segmentSize: Int

    /// Creates a score.
    public init(
        customerId: UUID,
        kind: InsightCustomerKind,
        recencyDays: Int,
        frequency: Int,
        monetary: Int64,
        recencyScore: Int,
        frequencyScore: Int,
        monetaryScore: Int,
        recencyMethod: InsightRFMRecencyMethod,
        segmentSize: Int
    ) {
        self.customerId = customerId
        self.kind = kind
        self.recencyDays = recencyDays
        self.frequency = frequency
        self.monetary = monetary
        self.recencyScore = recencyScore
        self.frequencyScore = frequencyScore
        self.monetaryScore = monetaryScore
        self.recencyMethod = recencyMethod
        self.segmentSize = segmentSize
    }

    /// The three scores as a code such as `"545"`.
    public var code: String { "\(recencyScore)\(frequencyScore)\(monetaryScore)" }
}
