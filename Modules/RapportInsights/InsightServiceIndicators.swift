import Foundation

/// Satisfaction, loyalty and complaint-handling indicators over one period.
public struct InsightServiceIndicators: Sendable, Codable, Hashable {
    /// The period, start inclusive and end exclusive.
    public var period: DateInterval
    /// Survey answers given in the period, by level.
    public var surveys: InsightSurveyDistribution
    /// Share of valid answers scoring ``InsightThresholds/satisfiedMinimumScore`` or more;
    /// `nil` without answers.
    public var satisfaction: Double?
    /// Repeat purchase and spend from orders in the period.
    public var loyalty: InsightLoyaltyIndicators
    /// Complaints received in the period.
    public var complaintCount: Int
    /// `complaintCount ÷ loyalty.orderCount`; `nil` without orders.
    public var complaintRate: Double?
    /// Median seconds from receipt to first response, over complaints answered by `asOf`.
    public var medianFirstResponseSeconds: Double?
    /// Median seconds from receipt to resolution, over complaints resolved by `asOf`.
    public var medianResolutionSeconds: Double?
    /// Response-target outcomes.
    public var responseSLA: InsightSLASummary
    /// Resolution-target outcomes.
    public var resolutionSLA: InsightSLASummary
    /// Complaints handled within SLA: both targets met.
    public var overallSLA: InsightSLASummary

    /// Creates indicators.
    public init(
        period: DateInterval,
        surveys: InsightSurveyDistribution,
        satisfaction: Double?,
        loyalty: InsightLoyaltyIndicators,
        complaintCount: Int,
        complaintRate: Double?,
        medianFirstResponseSeconds: Double?,
        medianResolutionSeconds: Double?,
        responseSLA: InsightSLASummary,
        resolutionSLA: InsightSLASummary,
        overallSLA: InsightSLASummary
    ) {
        self.period = period
        self.surveys = surveys
        self.satisfaction = satisfaction
        self.loyalty = loyalty
        self.complaintCount = complaintCount
        self.complaintRate = complaintRate
        self.medianFirstResponseSeconds = medianFirstResponseSeconds
        self.medianResolutionSeconds = medianResolutionSeconds
        self.responseSLA = responseSLA
        self.resolutionSLA = resolutionSLA
        self.overallSLA = overallSLA
    }
}
