import Foundation

/// One satisfaction-survey answer: 5 = highly satisfied … 1 = very dissatisfied.
public struct SurveyFact: Sendable, Codable, Hashable, Identifiable {
    /// The answer's id.
    public var id: UUID
    /// The answering customer.
    public var customerId: UUID
    /// When the answer was given.
    public var answeredAt: Date
    /// The score, 1...5; other values are counted as ignored.
    public var score: Int

    /// Creates a survey answer.
    public init(id: UUID = UUID(), customerId: UUID, answeredAt: Date, score: Int) {
        self.id = id
        self.customerId = customerId
        self.answeredAt = answeredAt
        self.score = score
    }
}
