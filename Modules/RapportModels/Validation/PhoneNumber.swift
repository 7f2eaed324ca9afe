/// Checks and normalises phone numbers: Chinese mobile numbers and E.164.
///
/// Accepted, after removing spaces, hyphens and parentheses:
/// - a Chinese mobile number `1[3-9]` followed by nine digits, optionally prefixed `+86`;
/// - an E.164 number: `+`, a country code not starting with 0, 8 to 15 digits in all.
///
/// ```swift
/// PhoneNumber.normalized("138 0013 8000")   // "+8613800138000"
/// PhoneNumber.isValid("+442071838750")      // true
/// PhoneNumber.isValid("12345")              // false
/// ```
public enum PhoneNumber {
    /// Whether `text` is a Chinese mobile number or an E.164 number.
    public static func isValid(_ text: String) -> Bool { normalized(text) != nil }

    /// Whether `text` is a Chinese mobile number (with or without `+86`).
    public static func isChineseMobile(_ text: String) -> Bool {
        guard var digits = stripped(text) else { return false }
        if digits.hasPrefix("+86") { digits.removeFirst(3) }
        return isBareChineseMobile(digits)
    }

    /// The number in E.164 form (`+8613800138000`), or `nil` if it is not valid.
    public static func normalized(_ text: String) -> String? {
        guard let compact = stripped(text) else { return nil }
        if isBareChineseMobile(compact) { return "+86" + compact }
        guard compact.hasPrefix("+") else { return nil }
        let digits = compact.dropFirst()
        guard (8...15).contains(digits.count), digits.allSatisfy(isDigit), digits.first != "0"
        else { return nil }
        // In China only Beijing's area code (10) starts with 1; anything else after +86 1 is a mobile.
        let national = digits.dropFirst(2)
        if digits.hasPrefix("86"), national.first == "1", national.dropFirst().first != "0" {
            return isBareChineseMobile(String(national)) ? compact : nil
        }
        return compact
    }

    private static func stripped(_ text: String) -> String? {
        let compact = text.filter { !" -()".contains($0) }
        guard !compact.isEmpty, compact.count <= 20 else { return nil }
        return compact
    }

    private static func isBareChineseMobile(_ digits: String) -> Bool {
        let characters = Array(digits)
        return characters.count == 11 && characters.allSatisfy(isDigit) && characters[0] == "1"
            && ("3"..."9").contains(characters[1])
    }

    private static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }
}
