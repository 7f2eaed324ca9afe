extension Customer {
    /// Whether the customer is a person or a company.
    public enum Kind: String, WireEnum {
        /// A private person; uses ``IndividualProfile``.
        case individual
        /// A company or other organisation; uses ``EnterpriseProfile``.
        case enterprise
    }

    /// Where a customer stands in its lifecycle.
    public enum Status: String, WireEnum {
        /// Not yet bought anything.
        case prospect
        /// Buying.
        case active
        /// Has bought but not recently.
        case dormant
        /// Gone to a competitor or stopped trading.
        case lost
    }

    /// How the customer was acquired.
    public enum SourceChannel: String, WireEnum {
        /// A survey.
        case survey
        /// A marketing event.
        case marketingEvent
        /// A service contact.
        case service
        /// A point of sale.
        case pointOfSale
        /// A trade show.
        case tradeShow
        /// The website.
        case website
        /// The call centre.
        case callCentre
        /// A complaint that turned into a relationship.
        case complaint
        /// A referral by another customer or contact.
        case referral
        /// A purchased list.
        case purchasedList
    }
}
