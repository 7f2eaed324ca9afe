extension Interaction {
    /// How a communication happened.
    public enum Channel: String, WireEnum {
        /// A visit in person.
        case visit
        /// An event (seminar, dinner, trade show).
        case event
        /// A letter.
        case letter
        /// A phone call.
        case phone
        /// A text message.
        case sms
        /// An e-mail.
        case email
        /// The call centre.
        case callCentre
        /// The website.
        case web
        /// Social media or messaging apps (WeChat, ...).
        case social
    }

    /// Who started a communication.
    public enum Direction: String, WireEnum {
        /// The customer contacted the organisation.
        case inbound
        /// The organisation contacted the customer.
        case outbound
    }

    /// What a communication was for.
    public enum Purpose: String, WireEnum {
        /// Exchanging information (products, prices, orders).
        case information
        /// Building the emotional relationship (greetings, care).
        case emotional
        /// Sharing the organisation's philosophy and values.
        case philosophy
        /// Gathering the customer's opinions and feedback.
        case opinion
        /// Explaining policies (terms, service, promotions).
        case policy
    }
}
