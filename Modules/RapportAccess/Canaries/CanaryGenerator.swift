import Foundation
import RapportCrypto
import RapportModels

/// Derives each staff member's canary customers from a server secret with HMAC-SHA-256, so they
/// are deterministic (the server can re-derive them at any time, nothing needs storing), unique
/// per person, and unpredictable without the secret.
///
/// ```swift
/// let canaries = CanaryGenerator(secret: serverCanaryKey).canaries(for: rep.id)
/// ```
public struct CanaryGenerator: Sendable {
    private let secret: SymmetricKey

    /// Creates a generator over the server's canary secret (keep it apart from other keys).
    public init(secret: SymmetricKey) {
        self.secret = secret
    }

    /// The first `count` canaries of `staffId`.
    public func canaries(for staffId: UUID, count: Int = 3) -> [CanaryCustomer] {
        (0..<max(count, 0)).map { canary(for: staffId, index: $0) }
    }

    /// Canary number `index` of `staffId`.
    public func canary(for staffId: UUID, index: Int) -> CanaryCustomer {
        let a = derive(staffId, index, label: 0x61)
        let b = derive(staffId, index, label: 0x62)

        let id = Self.uuid(a)

        let prefix = Self.mobilePrefixes[Int(b[0]) % Self.mobilePrefixes.count]
        let subscriber = Self.uint64(b[1..<9]) % 100_000_000
        let phone = prefix + Self.padded(subscriber, width: 8)

        let surname = Self.surnames[Int(Self.uint64(b[9..<11]) % UInt64(Self.surnames.count))]
        let first = Self.givenNames[Int(b[11]) % Self.givenNames.count]
        let second = Self.givenNames[Int(b[12]) % Self.givenNames.count]
        let twoCharacters = b[13] & 1 == 1
        let name = surname.0 + first.0 + (twoCharacters ? second.0 : "")
        let digits = Self.padded(Self.uint64(b[14..<16]) % 10_000, width: 4)
        let domain = Self.domains[Int(b[16]) % Self.domains.count]
        let email = first.1 + (twoCharacters ? second.1 : "") + "." + surname.1 + digits + "@" + domain
        return CanaryCustomer(staffId: staffId, index: index, id: id, name: name, phone: phone, email: email)
    }

    /// The id of the `number`th planted history record of `kind` under `canary` (its contacts,
    /// interactions, orders …): derived like the canary's own id, so planting again finds them
    /// and a leaked history record traces back like the customer.
    public func historyId(for canary: CanaryCustomer, kind: EntityKind, number: Int) -> UUID {
        var message = Array("rapport-canary-history-v1".utf8)
        withUnsafeBytes(of: canary.id.uuid) { message.append(contentsOf: $0) }
        message.append(contentsOf: Array(kind.rawValue.utf8))
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: number).bigEndian) { message.append(contentsOf: $0) }
        return Self.uuid(HMACSHA256.authenticationCode(for: message, key: secret))
    }

    /// A deterministic random stream for `canary`'s disguise (`label` separates its uses).
    public func random(for canary: CanaryCustomer, label: String) -> CanaryRandom {
        var message = Array("rapport-canary-random-v1".utf8)
        withUnsafeBytes(of: canary.id.uuid) { message.append(contentsOf: $0) }
        message.append(contentsOf: Array(label.utf8))
        return CanaryRandom(seed: Self.uint64(HMACSHA256.authenticationCode(for: message, key: secret)[0..<8]))
    }

    /// A plausible mobile number (carrier prefix and eight digits) drawn from `random`.
    public static func mobile(_ random: inout CanaryRandom) -> String {
        (random.pick(mobilePrefixes) ?? "138") + padded(random.next() % 100_000_000, width: 8)
    }

    private static func uuid(_ bytes: [UInt8]) -> UUID {
        var idBytes = Array(bytes[0..<16])
        idBytes[6] = (idBytes[6] & 0x0F) | 0x40  // version 4
        idBytes[8] = (idBytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(
            uuid: (
                idBytes[0], idBytes[1], idBytes[2], idBytes[3], idBytes[4], idBytes[5], idBytes[6], idBytes[7],
                idBytes[8], idBytes[9], idBytes[10], idBytes[11], idBytes[12], idBytes[13], idBytes[14], idBytes[15]
            ))
    }

    private func derive(_ staffId: UUID, _ index: Int, label: UInt8) -> [UInt8] {
        var message = Array("rapport-canary-v1".utf8)
        withUnsafeBytes(of: staffId.uuid) { message.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: index).bigEndian) { message.append(contentsOf: $0) }
        message.append(label)
        return HMACSHA256.authenticationCode(for: message, key: secret)
    }

    private static func uint64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func padded(_ value: UInt64, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static let mobilePrefixes = [
        "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157",
        "158", "159", "176", "177", "180", "181", "182", "185", "186", "187", "188", "189", "198", "199",
    ]

    static let domains = ["qq.com", "163.com", "126.com", "sina.com", "outlook.com", "139.com"]

    static let surnames: [(String, String)] = [
        ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("黄", "huang"),
        ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"),
        ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"), ("郑", "zheng"),
        ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"),
        ("邓", "deng"), ("曹", "cao"), ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"),
        ("袁", "yuan"), ("潘", "pan"), ("于", "yu"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"), ("杜", "du"),
        ("叶", "ye"), ("程", "cheng"), ("苏", "su"), ("魏", "wei"), ("吕", "lv"), ("丁", "ding"), ("任", "ren"),
        ("沈", "shen"),
    ]

    static let givenNames: [(String, String)] = [
        ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
        ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"),
        ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"),
        ("桂", "gui"), ("英", "ying"), ("华", "hua"), ("玉", "yu"), ("萍", "ping"), ("红", "hong"), ("建", "jian"),
        ("文", "wen"), ("辉", "hui"), ("鑫", "xin"), ("宇", "yu"), ("浩", "hao"), ("晨", "chen"), ("欣", "xin"),
        ("佳", "jia"), ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("峰", "feng"), ("海", "hai"), ("波", "bo"),
        ("亮", "liang"), ("宁", "ning"), ("凯", "kai"), ("慧", "hui"), ("颖", "ying"), ("倩", "qian"), ("嘉", "jia"),
        ("怡", "yi"),
    ]
}
