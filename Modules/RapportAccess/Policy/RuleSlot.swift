import Foundation

/// A grant or deny rule reduced to what the hot path needs.
struct RuleSlot: Sendable {
    let id: UUID
    let window: TimeWindow
    let permissions: GrantPermissions
}
