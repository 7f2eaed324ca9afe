/// An error raised by a crypto implementation: ``RapportCrypto`` on libcrypto, or any other
/// ``ClientCryptoSuite``.
///
/// Every failure is reported as a `CryptoError` whose ``code`` says what kind of failure it
/// is and whose ``message`` says what to do next. A wrong key, tampered data or a truncated
/// sealed box is always ``Code/authenticationFailed`` (or ``Code/malformedInput`` /
/// ``Code/unsupportedVersion`` when the input cannot even be parsed); no operation ever
/// returns unauthenticated output.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case authenticationFailed
            case malformedInput
            case unsupportedVersion
            case invalidKeySize
            case invalidParameter
            case libcrypto
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The data, its associated data or the key is wrong: the tag did not verify.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The input is too short or not in the expected format.
        public static let malformedInput = Code(.malformedInput)
        /// The input carries a format version or algorithm this build does not know.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A key has a length the operation does not accept.
        public static let invalidKeySize = Code(.invalidKeySize)
        /// A parameter (length, cost, count) is outside the accepted range.
        public static let invalidParameter = Code(.invalidParameter)
        /// The crypto library (libcrypto in ``RapportCrypto``) reported an internal failure,
        /// typically out of memory.
        public static let libcrypto = Code(.libcrypto)

        /// The code's name, e.g. `authenticationFailed`.
        public var description: String {
            switch base {
            case .authenticationFailed: "authenticationFailed"
            case .malformedInput: "malformedInput"
            case .unsupportedVersion: "unsupportedVersion"
            case .invalidKeySize: "invalidKeySize"
            case .invalidParameter: "invalidParameter"
            case .libcrypto: "libcrypto"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation that says what to do next.
    public var message: String

    /// Creates an error with a code and a message that says what to do next.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `CryptoError(code): message`.
    public var description: String {
        "CryptoError(\(code)): \(message)"
    }
}
