import RapportCrypto
import Testing

/// RFC 4231 test cases 1–7 for HMAC-SHA-256.
@Suite("HMAC-SHA-256 (RFC 4231)")
struct HMACSHA256Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var key: [UInt8]
        var data: [UInt8]
        var mac: String
        var testDescription: String { name }
    }

    static let largeKey = [UInt8](repeating: 0xaa, count: 131)
    static let vectors: [Vector] = [
        Vector(
            name: "case 1", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
            mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(
            name: "case 2", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
            mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(
            name: "case 3", key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
            mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(
            name: "case 4", key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
            mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Vector(
            name: "case 6", key: largeKey, data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Vector(
            name: "case 7", key: largeKey,
            data: Array(
                "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
                    .utf8),
            mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("published codes", arguments: vectors)
    func vector(_ vector: Vector) {
        let code = HMACSHA256.authenticationCode(for: vector.data, key: vector.key)
        #expect(code == hex(vector.mac))
        #expect(HMACSHA256.isValid(code, for: vector.data, key: vector.key))
        #expect(!HMACSHA256.isValid(flipping(code, at: 31, bit: 0), for: vector.data, key: vector.key))
        #expect(!HMACSHA256.isValid(code, for: vector.data + [0], key: vector.key))
    }

    @Test("case 5: truncated to 128 bits")
    func truncation() {
        let code = HMACSHA256.authenticationCode(
            for: Array("Test With Truncation".utf8), key: [UInt8](repeating: 0x0c, count: 20))
        #expect(Array(code.prefix(16)) == hex("a3b6167473100ee06e0c796c2955552b"))
        // isValid wants the full code; a truncated one is rejected.
        #expect(
            !HMACSHA256.isValid(
                Array(code.prefix(16)), for: Array("Test With Truncation".utf8),
                key: [UInt8](repeating: 0x0c, count: 20)))
    }

    @Test("a SymmetricKey gives the same code as its bytes")
    func symmetricKeyOverload() throws {
        let bytes = [UInt8](repeating: 0x0b, count: 32)
        let key = try SymmetricKey(bytes: bytes)
        let message = Array("Hi There".utf8)
        #expect(
            HMACSHA256.authenticationCode(for: message, key: key)
                == HMACSHA256.authenticationCode(for: message, key: bytes))
        #expect(HMACSHA256.isValid(HMACSHA256.authenticationCode(for: message, key: bytes), for: message, key: key))
        #expect(HMACSHA256.authenticationCode(for: [], key: []).count == 32)
    }
}

/// RFC 5869 test cases 1–3 (the SHA-256 ones).
@Suite("HKDF-SHA-256 (RFC 5869)")
struct HKDFTests {
    @Test("case 1: basic")
    func case1() throws {
        let okm = try HKDF.sha256(
            inputKey: [UInt8](repeating: 0x0b, count: 22), salt: Array(0x00...0x0c), info: Array(0xf0...0xf9),
            outputByteCount: 42)
        #expect(okm == hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
    }

    @Test("case 2: long inputs")
    func case2() throws {
        let okm = try HKDF.sha256(
            inputKey: Array(0x00...0x4f), salt: Array(0x60...0xaf), info: Array(0xb0...0xff), outputByteCount: 82)
        #expect(
            okm
                == hex(
                    """
                    b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c
                    59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71
                    cc30c58179ec3e87c14c01d5c1f3434f1d87
                    """))
    }

    @Test("case 3: empty salt and info")
    func case3() throws {
        let okm = try HKDF.sha256(
            inputKey: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [], outputByteCount: 42)
        #expect(okm == hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"))
    }

    @Test("output length limits")
    func limits() throws {
        let ikm = [UInt8](repeating: 1, count: 32)
        #expect(try HKDF.sha256(inputKey: ikm, salt: [], info: [], outputByteCount: 8160).count == 8160)
        let longInfo = [UInt8](repeating: 3, count: HKDF.maximumInfoByteCount)
        #expect(try HKDF.sha256(inputKey: ikm, salt: [], info: longInfo, outputByteCount: 32).count == 32)
        let infoError = #expect(throws: CryptoError.self) {
            try HKDF.sha256(inputKey: ikm, salt: [], info: longInfo + [0], outputByteCount: 32)
        }
        #expect(infoError?.code == .invalidParameter)
        for bad in [0, -1, 8161] {
            let error = #expect(throws: CryptoError.self) {
                try HKDF.sha256(inputKey: ikm, salt: [], info: [], outputByteCount: bad)
            }
            #expect(error?.code == .invalidParameter)
        }
        let error = #expect(throws: CryptoError.self) {
            try HKDF.sha256(inputKey: [], salt: [], info: [], outputByteCount: 32)
        }
        #expect(error?.code == .invalidParameter)
    }
}

/// PBKDF2-HMAC-SHA-256 vectors for "password"/"salt" (as published with RFC 7914 §11 and in
/// the widely used set derived from RFC 6070).
@Suite("PBKDF2-HMAC-SHA-256")
struct PBKDF2Tests {
    @Test(
        "password/salt with 1, 2 and 4096 iterations",
        arguments: [
            (1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
            (2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"),
            (4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
        ])
    func passwordSalt(iterations: Int, expected: String) throws {
        let dk = try PBKDF2.sha256(
            password: Array("password".utf8), salt: Array("salt".utf8), iterations: iterations, outputByteCount: 32)
        #expect(dk == hex(expected))
    }

    @Test("long password and salt, 40-byte output")
    func longInputs() throws {
        let dk = try PBKDF2.sha256(
            password: Array("passwordPASSWORDpassword".utf8), salt: Array("saltSALTsaltSALTsaltSALTsaltSALTsalt".utf8),
            iterations: 4096, outputByteCount: 40)
        #expect(dk == hex("348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"))
    }

    @Test("RFC 7914 §11: P=passwd, S=salt, c=1, 64 bytes")
    func rfc7914() throws {
        let dk = try PBKDF2.sha256(
            password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, outputByteCount: 64)
        #expect(
            dk
                == hex(
                    """
                    55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc
                    49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783
                    """))
    }

    @Test("zero iterations or output are rejected")
    func limits() {
        for (iterations, count) in [(0, 32), (1, 0), (-5, 32)] {
            let error = #expect(throws: CryptoError.self) {
                try PBKDF2.sha256(password: [1], salt: [2], iterations: iterations, outputByteCount: count)
            }
            #expect(error?.code == .invalidParameter)
        }
    }
}

/// RFC 7914 §12 scrypt vectors. The fourth (N = 2^20, 1 GiB) is left out: too slow and too
/// large for a unit test; the third (N = 16384, 16 MiB) runs in well under a second.
@Suite("scrypt (RFC 7914)")
struct ScryptTests {
    @Test("N=16, r=1, p=1, empty password and salt")
    func vector1() throws {
        let dk = try Scrypt.derive(password: [], salt: [], n: 16, r: 1, p: 1, outputByteCount: 64)
        #expect(
            dk
                == hex(
                    """
                    77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442
                    fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906
                    """))
    }

    @Test("N=1024, r=8, p=16, password/NaCl")
    func vector2() throws {
        let dk = try Scrypt.derive(
            password: Array("password".utf8), salt: Array("NaCl".utf8), n: 1024, r: 8, p: 16, outputByteCount: 64)
        #expect(
            dk
                == hex(
                    """
                    fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162
                    2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640
                    """))
    }

    @Test("N=16384, r=8, p=1, pleaseletmein/SodiumChloride")
    func vector3() throws {
        let dk = try Scrypt.derive(
            password: Array("pleaseletmein".utf8), salt: Array("SodiumChloride".utf8), n: 16384, r: 8, p: 1,
            outputByteCount: 64)
        #expect(
            dk
                == hex(
                    """
                    7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2
                    d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887
                    """))
    }

    @Test("the interactive preset needs more than OpenSSL's default 32 MiB cap and still runs")
    func interactivePreset() throws {
        #expect(ScryptParameters.interactive.memoryByteCount! > 32 << 20)
        let dk = try Scrypt.derive(password: [1], salt: [2], parameters: .interactive, outputByteCount: 32)
        #expect(dk.count == 32)
    }

    @Test(
        "invalid parameters are rejected",
        arguments: [
            ScryptParameters(n: 0, r: 8, p: 1), ScryptParameters(n: 1, r: 8, p: 1),
            ScryptParameters(n: 1000, r: 8, p: 1),
            ScryptParameters(n: 1024, r: 0, p: 1), ScryptParameters(n: 1024, r: 8, p: 0),
            ScryptParameters(n: 1 << 40, r: 8, p: 1), ScryptParameters(n: 1 << 20, r: 16, p: 1),
            ScryptParameters(n: 1 << 62, r: .max, p: .max),
        ])
    func invalid(_ parameters: ScryptParameters) {
        let error = #expect(throws: CryptoError.self) {
            try Scrypt.derive(password: [1], salt: [2], parameters: parameters, outputByteCount: 32)
        }
        #expect(error?.code == .invalidParameter)
    }
}
