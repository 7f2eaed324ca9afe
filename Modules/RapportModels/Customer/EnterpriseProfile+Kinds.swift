extension EnterpriseProfile {
    /// The form of ownership.
    public enum OwnershipType: String, WireEnum {
        /// State-owned.
        case stateOwned
        /// Collectively owned.
        case collective
        /// Privately owned.
        case privatelyOwned
        /// Foreign-invested.
        case foreignInvested
        /// Joint venture.
        case jointVenture
        /// Listed on a stock exchange.
        case listed
        /// Anything else.
        case other
    }

    /// Number of employees, as a band.
    public enum EmployeeBand: String, WireEnum {
        /// Fewer than 20.
        case below20
        /// 20 to 99.
        case from20To99
        /// 100 to 299.
        case from100To299
        /// 300 to 999.
        case from300To999
        /// 1,000 and more.
        case atLeast1000
    }

    /// Whether the company is operating, from the business register.
    public enum OperatingStatus: String, WireEnum {
        /// Operating normally (存续/在业).
        case operating
        /// Operations suspended.
        case suspended
        /// In liquidation.
        case liquidating
        /// Deregistered (注销).
        case deregistered
        /// Business licence revoked (吊销).
        case revoked
    }

    /// The organisation's credit rating of the customer, best first.
    public enum CreditRating: String, WireEnum {
        /// Highest.
        case aaa = "AAA"
        /// Very high.
        case aa = "AA"
        /// High.
        case a = "A"
        /// Adequate.
        case bbb = "BBB"
        /// Speculative.
        case bb = "BB"
        /// Highly speculative.
        case b = "B"
        /// Substantial risk.
        case c = "C"
    }
}
