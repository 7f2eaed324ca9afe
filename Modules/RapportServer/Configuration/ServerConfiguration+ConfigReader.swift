import Foundation
import RapportModels

extension ServerConfiguration {
    /// Builds a configuration from command-line flags, environment variables and a JSON config
    /// file, in that order of precedence, over the defaults; then checks the result.
    ///
    /// - Parameters:
    ///   - flags: values given on the command line, keyed by ``ConfigurationKey/name``
    ///     (`["port": "9000"]` for `--port 9000`).
    ///   - environment: the process environment; `RAPPORT_*` variables are read
    ///     (``ConfigurationKey/environmentVariable``), others ignored.
    ///   - configFile: the `--config` path; when `nil`, `RAPPORT_CONFIG` names the file, if set.
    ///     The file is a JSON object whose keys are ``ConfigurationKey/name``s.
    /// - Throws: ``ServerError/Code/invalidConfiguration`` naming the source (flag, environment
    ///   variable or file) and key of the first bad value.
    public static func load(
        flags: [String: String], environment: [String: String], configFile: String? = nil
    ) throws(ServerError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        var sources: [String: String] = [:]

        let filePath = configFile ?? environment[ConfigurationKey.configFileVariable]
        if let filePath {
            let fileSource =
                configFile != nil
                ? "config file \(filePath) (from --config)"
                : "config file \(filePath) (from \(ConfigurationKey.configFileVariable))"
            for (name, value) in try readFile(filePath).sorted(by: { $0.key < $1.key }) {
                guard let key = ConfigurationKey.named(name) else {
                    throw invalid(
                        "\(fileSource) has an unknown key '\(name)'; known keys: \(ConfigurationKey.all.map(\.name).joined(separator: ", "))"
                    )
                }
                try apply(key, value, source: "\(fileSource), key '\(name)'", to: &configuration)
                sources[name] = "\(fileSource), key '\(name)'"
            }
        }
        for key in ConfigurationKey.all {
            guard let value = environment[key.environmentVariable] else { continue }
            try apply(key, value, source: "environment variable \(key.environmentVariable)", to: &configuration)
            sources[key.name] = "environment variable \(key.environmentVariable)"
        }
        for (name, value) in flags.sorted(by: { $0.key < $1.key }) {
            guard let key = ConfigurationKey.named(name) else {
                throw invalid("unknown setting '\(name)'")
            }
            try apply(key, value, source: "flag \(key.flag)", to: &configuration)
            sources[name] = "flag \(key.flag)"
        }
        try configuration.check(sources: sources)
        return configuration
    }

    /// Checks relations between values and that referenced files exist.
    ///
    /// - Parameter sources: where each key's value came from, for the message.
    /// - Throws: ``ServerError/Code/invalidConfiguration``.
    public func check(sources: [String: String] = [:]) throws(ServerError) {
        func source(_ name: String) -> String {
            sources[name] ?? "default for '\(name)'"
        }
        if let tls {
            if tls.certificatePath.isEmpty {
                throw Self.invalid(
                    "\(source("tlsKey")) sets a TLS key but no certificate; also set tlsCertificate (--tls-certificate / RAPPORT_TLS_CERTIFICATE)"
                )
            }
            if tls.privateKeyPath.isEmpty {
                throw Self.invalid(
                    "\(source("tlsCertificate")) sets a TLS certificate but no key; also set tlsKey (--tls-key / RAPPORT_TLS_KEY)"
                )
            }
            for (name, path) in [("tlsCertificate", tls.certificatePath), ("tlsKey", tls.privateKeyPath)]
            where !FileManager.default.isReadableFile(atPath: path) {
                throw Self.invalid(
                    "\(source(name)): the file '\(path)' does not exist or is not readable; give the path of a PEM file"
                )
            }
        }
        if loginThrottle.maxDelaySeconds < loginThrottle.baseDelaySeconds {
            throw Self.invalid(
                "\(source("loginMaxDelaySeconds")): the longest login delay (\(loginThrottle.maxDelaySeconds) s) is shorter than the first delay (\(loginThrottle.baseDelaySeconds) s, \(source("loginDelaySeconds"))); raise it"
            )
        }
        if loginThrottle.addressBlockAfter < loginThrottle.addressSlowdownAfter {
            throw Self.invalid(
                "\(source("loginAddressBlockAfter")): blocking an address after \(loginThrottle.addressBlockAfter) failures comes before its slow-down starts (\(loginThrottle.addressSlowdownAfter), \(source("loginAddressSlowdownAfter"))); raise it"
            )
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dataDirectory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw Self.invalid(
                "\(source("dataDir")): '\(dataDirectory)' is a file, not a directory; give a directory path")
        }
    }

    private static func apply(
        _ key: ConfigurationKey, _ value: String, source: String, to configuration: inout ServerConfiguration
    ) throws(ServerError) {
        do {
            try key.apply(&configuration, value)
        } catch {
            throw invalid("\(source): \(error.reason)")
        }
    }

    private static func readFile(_ path: String) throws(ServerError) -> [String: String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw invalid(
                "cannot read config file \(path): \(error.localizedDescription); check the path given with --config or \(ConfigurationKey.configFileVariable)"
            )
        }
        let value: JSONValue
        do {
            value = try RapportJSON.decoder().decode(JSONValue.self, from: data)
        } catch {
            throw invalid("config file \(path) is not valid JSON; it must be one object such as {\"port\": 8080}")
        }
        guard case .object(let object) = value else {
            throw invalid("config file \(path) must hold one JSON object such as {\"port\": 8080}")
        }
        var values: [String: String] = [:]
        for (name, entry) in object {
            switch entry {
            case .string(let string): values[name] = string
            case .int(let number): values[name] = String(number)
            case .bool(let flag): values[name] = String(flag)
            case .double(let number): values[name] = String(number)
            case .null, .array, .object:
                throw invalid(
                    "config file \(path), key '\(name)': give a string, number or true/false, not \(entry.kindName)")
            }
        }
        return values
    }

    static func invalid(_ message: String) -> ServerError {
        ServerError(.invalidConfiguration, message)
    }
}

extension JSONValue {
    fileprivate var kindName: String {
        switch self {
        case .null: "null"
        case .array: "a list"
        case .object: "an object"
        default: "a value"
        }
    }
}
