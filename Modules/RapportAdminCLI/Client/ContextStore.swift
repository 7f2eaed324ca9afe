import Foundation


/// Named server contexts (`prod`, `staging`…), like kubectl's: each remembers a server URL, an
/// optional CA file and its own session file; one of them is current. Saved as JSON (mode 0600)
/// in `contexts.json` beside the default session file.
///
/// ```
/// rapport-admin login --context prod --server https://crm.example.com --login-name grace
/// rapport-admin context use staging
/// rapport-admin staff list --context prod
/// ```
public struct ContextStore: Sendable {
    /// One named context.
    public struct Entry: Codable, Sendable, Hashable {
        /// The server's base URL.
        public var server: String
        /// A PEM file of certificate authorities to trust, if the server needs one.
        public var caFile: String?

        /// Creates an entry.
        public init(server: String, caFile: String? = nil) {
            self.server = server
            self.caFile = caFile
        }
    }

    /// The file's content.
    public struct Contents: Codable, Sendable, Hashable {
        /// The current context's name, if one is chosen.
        public var current: String?
        /// The contexts by name.
        public var contexts: [String: Entry]

        /// An empty file.
        public init(current: String? = nil, contexts: [String: Entry] = [:]) {
            self.current = current
            self.contexts = contexts
        }
    }

    /// Where one command's session, server and CA file come from.
    public struct Resolved: Sendable, Hashable {
        /// The session file to use.
        public var sessionPath: String
        /// The context in use, if any.
        public var contextName: String?
        /// That context's entry (`nil` when it is being created by `login`).
        public var entry: Entry?
    }

    /// The contexts file.
    public let path: String

    /// Creates a store at `path`.
    public init(path: String) {
        self.path = path
    }

    /// `RAPPORT_CONTEXTS_FILE`, else `contexts.json` in the directory of the default session file.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let file = environment["RAPPORT_CONTEXTS_FILE"], !file.isEmpty { return file }
        var unset = environment
        unset["RAPPORT_SESSION_FILE"] = nil
        let session = SessionStore.defaultPath(flag: nil, environment: unset)
        return (session as NSString).deletingLastPathComponent + "/contexts.json"
    }

    /// The session file of the context `name`, beside the contexts file.
    public func sessionPath(for name: String) -> String {
        (path as NSString).deletingLastPathComponent + "/admin-session.\(name).json"
    }

    /// Checks a context name: 1–40 letters, digits, `-`, `_` or `.`, not starting with `.`.
    ///
    /// - Throws: ``AdminError/Code/usage``.
    public static func validateName(_ name: String) throws(AdminError) {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard (1...40).contains(name.count), !name.hasPrefix("."),
            name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) })
        else {
            throw AdminError(
                .usage, "'\(name)' is not a context name; use 1–40 letters, digits, '-', '_' or '.', e.g. prod or eu-staging")
        }
    }

    /// The saved contexts (empty if there is no file).
    ///
    /// - Throws: ``AdminError/Code/local`` if the file is damaged or readable by others.
    public func load() throws(AdminError) -> Contents {
        guard FileManager.default.fileExists(atPath: path) else { return Contents() }
        try PrivateFile.checkPrivate(path, what: "contexts file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AdminError(.local, "cannot read the contexts file \(path); check its permissions")
        }
        do {
            let contents = try JSONDecoder().decode(Contents.self, from: data)
            for name in contents.contexts.keys { try Self.validateName(name) }
            return contents
        } catch {
            throw AdminError(
                .local,
                "the contexts file \(path) is damaged (\(error)); fix it by hand or delete it and add the contexts again")
        }
    }

    /// Saves `contents` (mode 0600, atomically).
    public func save(_ contents: Contents) throws(AdminError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(contents)
        } catch {
            throw AdminError(.local, "cannot encode the contexts: \(error)")
        }
        try SessionStore.writePrivate(data, to: path)
    }

    /// Resolves one command's profile: `--session-file`/`RAPPORT_SESSION_FILE` name a session
    /// file directly; otherwise `--context`, `RAPPORT_CONTEXT` or the current context picks one;
    /// with none of them (and no contexts) the default session file is used, as before contexts.
    ///
    /// - Parameter creating: `login` may name a context that does not exist yet.
    /// - Throws: ``AdminError/Code/usage`` when a session file and a context are both given,
    ///   ``AdminError/Code/notFound`` for an unknown context.
    public func resolve(
        options: GlobalOptions, environment: [String: String], creating: Bool = false
    ) throws(AdminError) -> Resolved {
        let explicitFile =
            options.sessionFile.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["RAPPORT_SESSION_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let named = options.context ?? environment["RAPPORT_CONTEXT"].flatMap { $0.isEmpty ? nil : $0 }
        if let explicitFile {
            if options.context != nil {
                throw AdminError(.usage, "--context and --session-file both choose a session; use one of them")
            }
            return Resolved(sessionPath: explicitFile, contextName: nil, entry: nil)
        }
        let contents = try load()
        guard let name = named ?? contents.current else {
            return Resolved(sessionPath: SessionStore.defaultPath(flag: nil, environment: environment), contextName: nil, entry: nil)
        }
        try Self.validateName(name)
        guard let entry = contents.contexts[name] else {
            if creating { return Resolved(sessionPath: sessionPath(for: name), contextName: name, entry: nil) }
            let known = contents.contexts.keys.sorted()
            throw AdminError(
                .notFound,
                "there is no context named '\(name)'"
                    + (known.isEmpty
                        ? "; create one with `rapport-admin login --context \(name) --server URL`"
                        : " (known: \(known.joined(separator: ", "))); see `rapport-admin context list`"))
        }
        return Resolved(sessionPath: sessionPath(for: name), contextName: name, entry: entry)
    }
}

/// The check that a file only its owner may read (the session, the contexts).
enum PrivateFile {
    /// Refuses a file others can read or write; `advice` follows the `chmod` hint.
    static func checkPrivate(_ path: String, what: String, advice: String = "") throws(AdminError) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let mode = (attributes?[.posixPermissions] as? NSNumber)?.uint16Value else {
            throw AdminError(.local, "cannot read the \(what) \(path); check its permissions")
        }
        if mode & 0o077 != 0 {
            throw AdminError(
                .local,
                "the \(what) \(path) can be read by other users (mode \(String(mode & 0o777, radix: 8))); run `chmod 600 \(path)`\(advice.isEmpty ? "" : " " + advice)")
        }
    }
}
