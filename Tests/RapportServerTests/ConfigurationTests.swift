import ArgumentParser
import Foundation
import Logging
import RapportServer
import RapportSync
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
    ]

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

    @Test func theBinaryExitsNonZeroOnABadValue() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("rapport-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            // Built by `swift build`; `swift test` builds it too. Nothing to run otherwise.
            return
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--port", "http"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 78)
        #expect(message.contains("flag --port"))
    }
}
