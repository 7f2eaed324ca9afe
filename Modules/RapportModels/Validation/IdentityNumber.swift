/// Checks Chinese identity numbers: resident ID cards (GB 11643) and unified social credit
/// codes (GB 32100), both 18 characters ending in a check character.
///
/// ```swift
/// IdentityNumber.isValidResidentId("11010519491231002X")                 // true
/// IdentityNumber.isValidUnifiedSocialCreditCode("91350100M000100Y43")   // true
/// ```
public enum IdentityNumber {
    private static let residentWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let residentChecks = Array("10X98765432")
    private static let creditAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    private static let creditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Whether `text` is an 18-character resident ID number with a valid birth date and check character.
    public static func isValidResidentId(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 18,
            let check = residentIdCheckCharacter(forFirst17: String(characters[0..<17])),
            characters[17] == check || (check == "X" && characters[17] == "x")
        else { return false }
        return CalendarDate(
            String(characters[6..<10]) + "-" + String(characters[10..<12]) + "-"
                + String(characters[12..<14])) != nil
    }

    /// The check character for the first 17 digits of a resident ID number, or `nil` if they
    /// are not 17 ASCII digits.
    public static func residentIdCheckCharacter(forFirst17 digits: String) -> Character? {
        let values = digits.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard values.count == 17, digits.count == 17 else { return nil }
        let sum = zip(values, residentWeights).reduce(0) { $0 + $1.0 * $1.1 }
        return residentChecks[sum % 11]
    }

    /// Whether `text` is an 18-character unified social credit code with a valid check character.
    public static func isValidUnifiedSocialCreditCode(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 18,
            let check = unifiedSocialCreditCheckCharacter(forFirst17: String(characters[0..<17]))
        else { return false }
        return characters[17] == check
    }

    /// The check character for the first 17 characters of a unified social credit code, or
    /// `nil` if they use characters outside the code's alphabet (digits and upper-case letters
    /// without I, O, S, V, Z).
    public static func unifiedSocialCreditCheckCharacter(forFirst17 text: String) -> Character? {
        let values = text.compactMap { creditAlphabet.firstIndex(of: $0) }
        guard values.count == 17, text.count == 17 else { return nil }
        let sum = zip(values, creditWeights).reduce(0) { $0 + $1.0 * $1.1 }
        return creditAlphabet[(31 - sum % 31) % 31]
    }
}
