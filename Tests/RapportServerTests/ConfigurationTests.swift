import ArgumentParser
import Foundation
import Logging
import RapportProtocol
import RapportServer
import RapportTesting
import Testing

@Suite("Configuration: precedence and validation")
struct ConfigurationTests {
    @Test func defaults() throws {
        let configuration = try ServerConfiguration.load(flags: [:], environment: [:])
        #expect(configuration == ServerConfiguration())
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.dataDirectory == "./rapport-data")
        #expect(configuration.leaseHours == 72)
    }

    @Test func flagsBeatEnvironmentBeatFileBeatDefaults() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("rapport.json")
        try Data(#"{"port": 1000, "host": "0.0.0.0", "leaseHours": 10, "demo": true, "logLevel": "debug"}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        let configuration = try ServerConfiguration.load(
            flags: ["port": "3000"],
            environment: ["RAPPORT_PORT": "2000", "RAPPORT_LEASE_HOURS": "20", "RAPPORT_CONFIG": file, "HOME": "/x"])
        #expect(configuration.port == 3000)  // flag
        #expect(configuration.leaseHours == 20)  // environment
        #expect(configuration.host == "0.0.0.0")  // file
        #expect(configuration.demo)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.accessTokenMinutes == 15)  // default
    }

    @Test func commandLineFlagsReachTheConfiguration() throws {
        let command = try #require(
            try RapportServerCommand.parseAsRoot([
                "--port", "9000", "--data-dir", "/tmp/x", "--demo", "--max-body-bytes", "4096",
            ])
                as? ServeCommand)
        let configuration = try command.loadConfiguration(environment: ["RAPPORT_PORT": "1"])
        #expect(configuration.port == 9000)
        #expect(configuration.dataDirectory == "/tmp/x")
        #expect(configuration.demo)
        #expect(configuration.limits.maxBodyBytes == 4096)
        #expect(try RapportServerCommand.parseAsRoot(["backup", "--to", "f"]) is BackupCommand)
        #expect(try RapportServerCommand.parseAsRoot(["restore", "--from", "f"]) is RestoreCommand)
    }

    @Test func everyKeyHasAFlagAndAnEnvironmentVariable() {
        let dataDir = ConfigurationKey.named("dataDir")
        #expect(dataDir?.flag == "--data-dir")
        #expect(dataDir?.environmentVariable == "RAPPORT_DATA_DIR")
        #expect(ConfigurationKey.named("maxBodyBytes")?.environmentVariable == "RAPPORT_MAX_BODY_BYTES")
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var flags: [String: String] = [:]
        var environment: [String: String] = [:]
        var file: String?
        var expected: [String]
        var testDescription: String { expected.joined(separator: " / ") }
    }

    static let badValues: [Bad] = [
        Bad(flags: ["port": "abc"], expected: ["flag --port", "not a whole number"]),
        Bad(environment: ["RAPPORT_PORT": "70000"], expected: ["environment variable RAPPORT_PORT", "out of range"]),
        Bad(file: #"{"maxBodyBytes": "lots"}"#, expected: ["key 'maxBodyBytes'", "not a whole number"]),
        Bad(file: #"{"prot": 80}"#, expected: ["unknown key 'prot'"]),
        Bad(file: #"{"port": 80"#, expected: ["not valid JSON"]),
        Bad(file: #"[1, 2]"#, expected: ["one JSON object"]),
        Bad(file: #"{"port": [80]}"#, expected: ["key 'port'", "not a list"]),
        Bad(flags: ["demo": "maybe"], expected: ["flag --demo", "true or false"]),
        Bad(environment: ["RAPPORT_LOG_LEVEL": "loud"], expected: ["RAPPORT_LOG_LEVEL", "not a log level"]),
        Bad(flags: ["tlsCertificate": "/nonexistent/cert.pem"], expected: ["flag --tls-certificate", "no key"]),
        Bad(
            flags: ["tlsCertificate": "/nonexistent/cert.pem", "tlsKey": "/nonexistent/key.pem"],
            expected: ["/nonexistent/cert.pem", "does not exist"]),
        Bad(
            environment: ["RAPPORT_ACCESS_TOKEN_MINUTES": "0"],
            expected: ["RAPPORT_ACCESS_TOKEN_MINUTES", "out of range"]),
        Bad(
            flags: ["loginDelaySeconds": "60", "loginMaxDelaySeconds": "10"],
            expected: ["flag --login-max-delay-seconds", "shorter"]),
        Bad(
            environment: ["RAPPORT_CONFIG": "/nonexistent/rapport.json"],
            expected: ["cannot read config file", "RAPPORT_CONFIG"]),
        Bad(flags: ["dataDir": ""], expected: ["flag --data-dir", "must not be empty"]),
        Bad(
            environment: ["RAPPORT_LOGIN_ADDRESS_SLOWDOWN_AFTER": "0"],
            expected: ["environment variable RAPPORT_LOGIN_ADDRESS_SLOWDOWN_AFTER", "out of range"]),
        Bad(
            flags: ["loginAddressBlockAfter": "many"],
            expected: ["flag --login-address-block-after", "not a whole number"]),
        Bad(
            file: #"{"loginAddressBlockMinutes": 20000}"#,
            expected: ["key 'loginAddressBlockMinutes'", "out of range", "1 to 10080"]),
        Bad(
            environment: ["RAPPORT_LOGIN_FAMILIAR_ADDRESS_DAYS": "0"],
            expected: ["RAPPORT_LOGIN_FAMILIAR_ADDRESS_DAYS", "out of range"]),
        Bad(
            flags: ["loginAddressSlowdownAfter": "20", "loginAddressBlockAfter": "5"],
            expected: [
                "flag --login-address-block-after", "before its slow-down starts",
                "flag --login-address-slowdown-after",
            ]),
        Bad(
            environment: ["RAPPORT_TRUSTED_PROXIES": "10.0.0.1, proxy.internal"],
            expected: ["environment variable RAPPORT_TRUSTED_PROXIES", "'proxy.internal' is not an IP address"]),
        Bad(flags: ["passwordHashingThreads": "0"], expected: ["flag --password-hashing-threads", "out of range"]),
        Bad(
            file: #"{"passwordHashingThreads": "two"}"#,
            expected: ["key 'passwordHashingThreads'", "not a whole number"]),
    ]

    @Test func throttlingAndHashingSettingsFollowThePrecedence() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("rapport.json")
        try Data(
            #"{"loginAddressBlockAfter": 40, "trustedProxies": "10.0.0.1, ::1", "passwordHashingThreads": 3}"#.utf8
        ).write(to: URL(fileURLWithPath: file))
        let configuration = try ServerConfiguration.load(
            flags: ["passwordHashingThreads": "2", "loginFamiliarAddressDays": "7"],
            environment: ["RAPPORT_LOGIN_ADDRESS_BLOCK_MINUTES": "15", "RAPPORT_LOGIN_ADDRESS_BLOCK_AFTER": "50"],
            configFile: file)
        #expect(configuration.passwordHashingThreads == 2)  // flag over file
        #expect(configuration.loginThrottle.familiarAddressDays == 7)  // flag
        #expect(configuration.loginThrottle.addressBlockAfter == 50)  // environment over file
        #expect(configuration.loginThrottle.addressBlockMinutes == 15)  // environment
        #expect(configuration.trustedProxies == ["10.0.0.1", "::1"])  // file
        #expect(configuration.loginThrottle.addressSlowdownAfter == 10)  // default
        let defaults = ServerConfiguration()
        #expect(defaults.trustedProxies.isEmpty)
        #expect(defaults.loginThrottle.addressBlockAfter == 30)
        #expect(defaults.loginThrottle.addressBlockMinutes == 60)
        #expect(defaults.loginThrottle.familiarAddressDays == 30)

        let command = try #require(
            try RapportServerCommand.parseAsRoot([
                "--trusted-proxies", "192.0.2.1", "--login-address-slowdown-after", "4", "--password-hashing-threads",
                "1",
            ]) as? ServeCommand)
        let parsed = try command.loadConfiguration(environment: [:])
        #expect(parsed.trustedProxies == ["192.0.2.1"])
        #expect(parsed.loginThrottle.addressSlowdownAfter == 4)
        #expect(parsed.passwordHashingThreads == 1)
    }

    @Test(arguments: badValues)
    func badValuesNameTheirSource(_ bad: Bad) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var configFile: String?
        if let file = bad.file {
            configFile = dir.path("rapport.json")
            try Data(file.utf8).write(to: URL(fileURLWithPath: configFile!))
        }
        do {
            _ = try ServerConfiguration.load(flags: bad.flags, environment: bad.environment, configFile: configFile)
            Issue.record("expected a configuration error")
        } catch {
            #expect(error.code == .invalidConfiguration)
            for part in bad.expected {
                #expect(error.message.contains(part), "message: \(error.message)")
            }
        }
    }

    @Test(arguments: [
        ["--port", "http"], ["--login-address-block-after", "0"], ["--trusted-proxies", "not-an-address"],
        ["--password-hashing-threads", "1000"],
    ])
    func theBinaryExitsWith78OnABadValue(_ arguments: [String]) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("rapport-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            // Built by `swift build`; `swift test` builds it too. Nothing to run otherwise.
            return
        }
        let stderr = Pipe()
        let process = try ChildProcess.launch(
            executable: binary, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            standardError: stderr.fileHandleForWriting)
        try stderr.fileHandleForWriting.close()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.waitUntilExit() == .exited(78))
        #expect(message.contains("flag \(arguments[0])"), "message: \(message)")
    }
}
