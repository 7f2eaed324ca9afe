import RapportModels

extension CustomerSegment {
    /// Whether a *grant* on this segment reaches `customer`: the segment matches, and key
    /// customers are reached only when the segment names the key tier.
    @inline(__always)
    func reaches(_ customer: CustomerAccessFacts) -> Bool {
        (tier == .key || !customer.isKey) && matches(customer)
    }
}
