import RapportModels

/// Turns a sensitive value into what a principal without the right to see it receives.
///
/// The masked form never contains the original value: if a mask would (odd short values), the
/// value is replaced by the marker instead.
public enum ValueMasker {
    /// The marker a client receives instead of a withheld sensitive value: it says a value
    /// exists and is masked, and which class it is, never anything about the value.
    public static func marker(_ fieldClass: FieldClass) -> JSONValue {
        .object(["masked": .bool(true), "fieldClass": .string(fieldClass.rawValue)])
    }

    /// `13812345678` → `138****5678`: the first three and last four digits of numbers with at
    /// least 11 digits, the first and last two of numbers with 7–10 digits, and `****` for
    /// anything shorter. Punctuation and spaces are dropped.
    public static func maskPhone(_ phone: String) -> String {
        let digits = phone.filter(\.isASCIIDigitCharacter)
        let (head, tail) = digits.count >= 11 ? (3, 4) : digits.count >= 7 ? (2, 2) : (0, 0)
        return String(digits.prefix(head)) + "****" + String(digits.suffix(tail))
    }

    /// `zhang.wei@example.com` → `z***@example.com`; a value without a local part and a domain
    /// becomes `***`.
    public static func maskEmail(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@"), at != email.startIndex, email.index(after: at) != email.endIndex
        else { return "***" }
        return String(email[email.startIndex]) + "***" + String(email[at...])
    }

    /// The masked form of `value` in `style`; arrays are masked element by element, `null`
    /// stays `null`, and anything that cannot be partially masked becomes the marker.
    public static func mask(_ value: JSONValue, style: MaskStyle, fieldClass: FieldClass) -> JSONValue {
        switch value {
        case .null:
            return .null
        case .array(let elements) where style != .withhold:
            return .array(elements.map { mask($0, style: style, fieldClass: fieldClass) })
        case .string(let text) where style == .phone:
            let masked = maskPhone(text)
            return masked.contains(text) ? marker(fieldClass) : .string(masked)
        case .string(let text) where style == .email:
            let masked = maskEmail(text)
            return masked.contains(text) ? marker(fieldClass) : .string(masked)
        default:
            return marker(fieldClass)
        }
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
