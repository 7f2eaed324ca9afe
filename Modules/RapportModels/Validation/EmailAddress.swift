/// Checks e-mail addresses for the shape mail systems accept.
///
/// `local@domain`: the local part is 1–64 characters of letters, digits and
/// ``!#$%&'*+/=?^_`{|}~.-`` with no leading, trailing or doubled dot; the domain has at least
/// two labels of letters, digits and hyphens (not at either end of a label), a top-level label
/// of at least two letters, and the whole address is at most 254 characters. Non-ASCII letters
/// are allowed in both parts (internationalised addresses).
///
/// ```swift
/// EmailAddress.isValid("wang.fang@example.cn")   // true
/// EmailAddress.isValid("wang@localhost")         // false
/// ```
public enum EmailAddress {
    /// Whether `text` is a well-formed e-mail address.
    public static func isValid(_ text: String) -> Bool {
        guard text.count <= 254, let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        return isValidLocal(local) && isValidDomain(domain)
    }

    private static let localSymbols = Set("!#$%&'*+/=?^_`{|}~.-")

    private static func isValidLocal(_ local: Substring) -> Bool {
        guard (1...64).contains(local.count), local.first != ".", local.last != ".",
            !local.contains("..")
        else { return false }
        return local.allSatisfy { character in
            character.isLetter || (character.isASCII && character.isNumber)
                || localSymbols.contains(character)
        }
    }

    private static func isValidDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, domain.count <= 253 else { return false }
        for label in labels {
            guard (1...63).contains(label.count), label.first != "-", label.last != "-",
                label.allSatisfy({ $0.isLetter || ($0.isASCII && $0.isNumber) || $0 == "-" })
            else { return false }
        }
        let top = labels[labels.count - 1]
        return top.count >= 2 && top.allSatisfy(\.isLetter)
    }
}
