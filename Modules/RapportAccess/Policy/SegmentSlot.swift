import Foundation

/// A segment grant or segment deny rule reduced to what the hot path needs.
struct SegmentSlot: Sendable {
    let id: UUID
    let segment: CustomerSegment
    let window: TimeWindow
    let permissions: GrantPermissions
}
