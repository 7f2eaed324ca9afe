import Foundation
import RapportCrypto
import Testing

@Suite("Password hashes")
struct PasswordHashTests {
    @Test("round trip, wrong password, fresh salt each time")
    func roundTrip() throws {
        let encoded = try PasswordHash.make(password: "correct horse battery staple", parameters: .testing)
        #expect(encoded.hasPrefix("$rapport-scrypt$v=1$n=1024,r=8,p=1$"))
        #expect(try PasswordHash.verify(password: "correct horse battery staple", against: encoded))
        #expect(try !PasswordHash.verify(password: "correct horse battery stapler", against: encoded))
        #expect(try !PasswordHash.verify(password: "", against: encoded))
        let again = try PasswordHash.make(password: "correct horse battery staple", parameters: .testing)
        #expect(again != encoded)
        #expect(try PasswordHash.parameters(of: encoded) == .testing)
    }

    @Test("the default is the interactive preset")
    func defaultParameters() throws {
        let encoded = try PasswordHash.make(password: "销售部-2024")
        #expect(encoded.hasPrefix("$rapport-scrypt$v=1$n=32768,r=8,p=1$"))
        #expect(try PasswordHash.verify(password: "销售部-2024", against: encoded))
    }

    @Test("known answer: the RFC 7914 N=16384 vector in our encoding")
    func knownAnswer() throws {
        let salt = Data("SodiumChloride".utf8).base64EncodedString()
        let hash = Data(
            hex(
                """
                7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2
                d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887
                """)
        ).base64EncodedString()
        let encoded = "$rapport-scrypt$v=1$n=16384,r=8,p=1$\(salt)$\(hash)"
        #expect(try PasswordHash.verify(password: "pleaseletmein", against: encoded))
        #expect(try !PasswordHash.verify(password: "pleaseletmeout", against: encoded))
    }

    @Test("composed and decomposed accents verify alike (NFC)")
    func normalization() throws {
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        let encoded = try PasswordHash.make(password: composed, parameters: .testing)
        #expect(try PasswordHash.verify(password: decomposed, against: encoded))
    }

    @Test(
        "malformed strings are malformedInput",
        arguments: [
            "", "$", "rapport-scrypt$v=1$n=1024,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$n=1024,r=8,p=1$c2FsdHNhbHQ=",
            "$rapport-scrypt$v=1$n=1024,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==$extra",
            "$rapport-scrypt$1$n=1024,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=one$n=1024,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$n=1024,r=8$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$n=1024,r=8,p=1,x=2$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$r=8,n=1024,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$n=+1024,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$n=-1024,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$n=99999999999999999999,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$n=1024,r=8,p=1$not base64!$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$n=1024,r=8,p=1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==",
            "$rapport-scrypt$v=1$n=1024,r=8,p=1$c2FsdHNhbHQ=$aGFzaA==",
            "$rapport-scrypt$v=1$n=1024,r=8,p=1$c2FsdHNhbHQ=$",
            "$rapport-scrypt$v=1$n=1024,r=8,p=1$c2FsdHNhbHQ=$" + String(repeating: "A", count: 600),
        ])
    func malformed(_ encoded: String) {
        let error = #expect(throws: CryptoError.self) { try PasswordHash.verify(password: "x", against: encoded) }
        #expect(error?.code == .malformedInput)
        #expect(PasswordHash.needsRehash(encoded, target: .testing))
    }

    @Test(
        "other algorithms and newer versions are unsupportedVersion",
        arguments: [
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
            "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
            "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHQ$aGFzaA",
            "$rapport-scrypt$v=2$n=1024,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
        ])
    func unsupported(_ encoded: String) {
        let error = #expect(throws: CryptoError.self) { try PasswordHash.verify(password: "x", against: encoded) }
        #expect(error?.code == .unsupportedVersion)
    }

    @Test(
        "hostile parameters are refused before any work",
        arguments: [
            "n=1099511627776,r=8,p=1", "n=2097152,r=8,p=1", "n=1024,r=4294967295,p=1", "n=1024,r=8,p=4294967295",
            "n=1048576,r=32,p=1", "n=262144,r=8,p=16", "n=1000,r=8,p=1", "n=0,r=8,p=1", "n=1024,r=0,p=1",
        ])
    func hostile(_ settings: String) throws {
        let encoded = "$rapport-scrypt$v=1$\(settings)$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=="
        let error = #expect(throws: CryptoError.self) { try PasswordHash.verify(password: "x", against: encoded) }
        #expect(error?.code == .invalidParameter)
        let makeError = #expect(throws: CryptoError.self) {
            try PasswordHash.make(password: "x", parameters: Self.parse(settings))
        }
        #expect(makeError?.code == .invalidParameter)
    }

    static func parse(_ settings: String) -> ScryptParameters {
        let values = settings.split(separator: ",").map { UInt64($0.split(separator: "=")[1])! }
        return ScryptParameters(n: values[0], r: UInt32(values[1]), p: UInt32(values[2]))
    }

    @Test("a flipped hash or salt no longer verifies")
    func tamperedHash() throws {
        let encoded = try PasswordHash.make(password: "s3cret", parameters: .testing)
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        for field in [4, 5] {
            var bytes = Array(Data(base64Encoded: fields[field])!)
            bytes[0] ^= 1
            var altered = fields
            altered[field] = Data(bytes).base64EncodedString()
            #expect(try !PasswordHash.verify(password: "s3cret", against: altered.joined(separator: "$")))
        }
    }

    @Test("needsRehash compares parameters")
    func needsRehash() throws {
        let encoded = try PasswordHash.make(password: "s3cret", parameters: .testing)
        #expect(!PasswordHash.needsRehash(encoded, target: .testing))
        #expect(PasswordHash.needsRehash(encoded, target: .interactive))
        #expect(PasswordHash.needsRehash(encoded, target: ScryptParameters(n: 1024, r: 8, p: 2)))
    }

    @Test("parameters round-trip through Codable")
    func codable() throws {
        let data = try JSONEncoder().encode(ScryptParameters.interactive)
        #expect(try JSONDecoder().decode(ScryptParameters.self, from: data) == .interactive)
    }
}
