extension IndividualProfile {
    /// A person's gender as they state it.
    public enum Gender: String, WireEnum {
        /// Female.
        case female
        /// Male.
        case male
        /// Another gender.
        case other
        /// Prefers not to say.
        case undisclosed
    }

    /// The kind of identity document an ID number comes from.
    public enum IdentityDocumentType: String, WireEnum {
        /// PRC resident identity card (18 characters with a check digit).
        case residentIdCard
        /// A passport.
        case passport
        /// Mainland travel permit for Hong Kong and Macau residents.
        case hongKongMacauPermit
        /// Mainland travel permit for Taiwan residents.
        case taiwanPermit
        /// Another document.
        case other
    }

    /// Monthly income band, in yuan.
    public enum IncomeBand: String, WireEnum {
        /// Below 5,000.
        case below5k
        /// 5,000 to 10,000.
        case from5kTo10k
        /// 10,000 to 20,000.
        case from10kTo20k
        /// 20,000 to 50,000.
        case from20kTo50k
        /// 50,000 and more.
        case atLeast50k
    }

    /// Highest level of education completed.
    public enum EducationLevel: String, WireEnum {
        /// Primary school.
        case primary
        /// Secondary school.
        case secondary
        /// Vocational training or college.
        case vocational
        /// Bachelor's degree.
        case bachelor
        /// Master's degree.
        case master
        /// Doctorate.
        case doctorate
    }

    /// Marital status.
    public enum MaritalStatus: String, WireEnum {
        /// Single.
        case single
        /// Married.
        case married
        /// Divorced.
        case divorced
        /// Widowed.
        case widowed
        /// Prefers not to say.
        case undisclosed
    }
}
