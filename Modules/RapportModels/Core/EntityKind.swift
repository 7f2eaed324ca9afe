/// The kinds of record Rapport stores and syncs; each has its own ``Entity`` type.
///
/// The raw value is the stable wire name used in JSON, change logs and the field registry.
public enum EntityKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// A person or company that buys from the organisation (``Customer``).
    case customer
    /// A person at an enterprise customer (``Contact``).
    case contact
    /// One entry in the communication log (``Interaction``).
    case interaction
    /// A complaint and its handling stages (``Complaint``).
    case complaint
    /// A purchase by a customer (``Order``).
    case order
    /// An amount a customer owes; server-authoritative (``Receivable``).
    case receivable
    /// A planned purchase amount for a customer and period (``SalesPlan``).
    case salesPlan
    /// A sales expense spent on a customer (``Expense``).
    case expense
    /// The expense budget for a customer and period (``ExpenseBudget``).
    case expenseBudget
    /// One answer to a satisfaction survey (``SatisfactionSurvey``).
    case satisfactionSurvey
    /// A customer's membership of the loyalty programme (``LoyaltyAccount``).
    case loyaltyAccount
    /// An append-only change to a customer's loyalty points (``PointsTransaction``).
    case pointsTransaction
}
