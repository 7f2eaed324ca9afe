import ArgumentParser
import Foundation
import RapportCLISupport
import RapportTesting
import Testing

@testable import RapportAdminCLI

/// In-process: argument parsing, validation and the pure helpers (no server, no process).
@Suite("rapport-admin arguments")
struct ArgumentTests {
    @Test(arguments: [("7d", 604_800), ("12h", 43_200), ("30m", 1_800), ("2w", 1_209_600), ("1d12h", 129_600), ("90s", 90)])
    func durationsParse(_ text: String, _ seconds: Int) throws {
        #expect(try GrantDuration(parsing: text).seconds == seconds)
    }

    @Test(arguments: [
        ("7x", "'x' is not a unit"), ("7", "has no unit"), ("d", "has no number before it"), ("", "is empty"),
        ("0d", "longer than zero"), ("-1d", "'-' is not a unit"), ("99999999999999999999w", "too long"),
    ])
    func malformedDurationsSayWhy(_ text: String, _ expected: String) {
        #expect {
            try GrantDuration(parsing: text)
        } throws: { error in
            (error as? AdminError)?.code == .usage && "\(error)".contains(expected)
        }
    }

    @Test func durationPrintsShortestForm() {
        #expect(GrantDuration(seconds: 129_600).description == "1d12h")
        #expect(GrantDuration(seconds: 604_800).description == "1w")
    }

    @Test func datesParseDaysTimestampsAndAgo() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try DateArgument.parse("2026-03-01").absoluteDate == Date(timeIntervalSince1970: 1_772_323_200))
        #expect(try DateArgument.parse("2026-03-01T08:30:00Z").absoluteDate == Date(timeIntervalSince1970: 1_772_353_800))
        #expect(try DateArgument.parse("24h").resolve(now: now) == now.addingTimeInterval(-86_400))
        #expect(throws: AdminError.self) { try DateArgument.parse("next tuesday") }
    }

    @Test func grantAddNeedsExactlyOneExpiryAndAReason() throws {
        let parsed = try RapportAdminCommand.parseAsRoot([
            "grant", "add", "Bo Chen", "--customer", UUID().uuidString, "--for", "7d", "--reason", "holiday cover",
        ])
        let add = try #require(parsed as? GrantCommand.Add)
        #expect(add.duration?.seconds == 604_800)
        #expect(add.permissions.isEmpty)
        // No expiry, both expiries, no reason, blank reason, a bad duration: usage errors.
        let bad: [[String]] = [
            ["grant", "add", "bo", "--customer", UUID().uuidString, "--reason", "r"],
            ["grant", "add", "bo", "--customer", UUID().uuidString, "--for", "7d", "--until", "2026-04-01", "--reason", "r"],
            ["grant", "add", "bo", "--customer", UUID().uuidString, "--for", "7d"],
            ["grant", "add", "bo", "--customer", UUID().uuidString, "--for", "7d", "--reason", " "],
            ["grant", "add", "bo", "--customer", UUID().uuidString, "--for", "7x", "--reason", "r"],
            ["grant", "add", "bo", "--for", "7d", "--reason", "r"],
            ["grant", "add", "bo", "--customer", "nope", "--for", "7d", "--reason", "r"],
            ["grant", "add", "bo", "--customer", UUID().uuidString, "--for", "7d", "--reason", "r", "--permission", "all"],
        ]
        for arguments in bad {
            #expect(throws: (any Error).self, "\(arguments)") { try RapportAdminCommand.parseAsRoot(arguments) }
            let code = RapportAdminCommand.exitCode(for: Self.error(arguments))
            #expect(code == .validationFailure, "\(arguments)")
        }
        let message = RapportAdminCommand.fullMessage(for: Self.error(bad[4]))
        #expect(message.contains("'7x' is not a duration"))
    }

    @Test func sharedOptionsParseOnEveryCommand() throws {
        let parsed = try RapportAdminCommand.parseAsRoot([
            "staff", "list", "--server", "https://crm.example.com/", "--token", "t0k", "--json", "--status", "notice",
        ])
        let list = try #require(parsed as? StaffCommand.List)
        #expect(list.global.server == "https://crm.example.com/")
        #expect(list.global.token == "t0k")
        #expect(list.global.json)
        #expect(list.status == "notice")
        let offboard = try #require(
            try RapportAdminCommand.parseAsRoot([
                "staff", "offboard", "Ana Lima", "--reassign-to", "Martin", "--days", "30", "--yes",
            ]) as? StaffCommand.Offboard)
        #expect(offboard.confirmation.yes && offboard.days == 30 && offboard.reassignTo == "Martin")
    }

    @Test(arguments: [
        ["staff", "list", "--status", "gone"],
        ["staff", "offboard", "ana"],
        ["staff", "offboard", "ana", "--reassign-to", "bo", "--days", "0"],
        ["staff", "update", "ana"],
        ["staff", "add", "Ana", "--team", "North", "--login-name", "ana"],
        ["team", "move", "North"],
        ["team", "move", "North", "--root", "--parent", "Head"],
        ["device", "wipe", "not-a-uuid"],
        ["role", "assign", "ana"],
        ["role", "create", "--id", "x"],
        ["audit", "tail", "-n", "0"],
        ["audit", "search", "--customer", "bob"],
        ["audit", "search", "--since", "last week"],
        ["alert", "list", "--status", "closed"],
        ["customer", "reassign", UUID().uuidString],
        ["status", "--server", "ftp://example.com"],
        ["staff", "lst"],
    ])
    func badArgumentsAreUsageErrors(_ arguments: [String]) {
        #expect(RapportAdminCommand.exitCode(for: Self.error(arguments)) == .validationFailure)
    }

    @Test func everyCommandHasHelpWithExamples() {
        func visit(_ command: any ParsableCommand.Type, path: [String]) {
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty {
                let help = RapportAdminCommand.helpMessage(for: command)
                #expect(help.contains("Examples:"), "\(path.joined(separator: " ")) has no examples")
                #expect(help.contains("rapport-admin"), "\(path.joined(separator: " "))")
            }
            for sub in subcommands { visit(sub, path: path + [sub._commandName]) }
        }
        visit(RapportAdminCommand.self, path: ["rapport-admin"])
        #expect(RapportAdminCommand.helpMessage(for: RapportAdminCommand.self).contains("Examples:"))
    }

    @Test func completionScriptsNameTheCommands() {
        for shell in CompletionShell.allCases {
            let script = RapportAdminCommand.completionScript(for: shell)
            #expect(script.contains("offboard"), "\(shell)")
        }
    }

    @Test func serverAddressesAreNormalised() throws {
        #expect(try ServerAddress.parse("HTTPS://crm.example.com/").url == "https://crm.example.com")
        #expect(try ServerAddress.parse("http://127.0.0.1:8080").isTLS == false)
        for bad in ["crm.example.com", "ftp://x", "http://", "https://x?y=1"] {
            #expect(throws: AdminError.self, "\(bad)") { try ServerAddress.parse(bad) }
        }
    }

    @Test func confirmationRule() {
        #expect(Confirmation.decide(yes: true, interactive: false) == .proceed)
        #expect(Confirmation.decide(yes: true, interactive: true) == .proceed)
        #expect(Confirmation.decide(yes: false, interactive: true) == .ask)
        #expect(Confirmation.decide(yes: false, interactive: false) == .refuse)
        #expect(Confirmation.isAffirmative(" YES "))
        #expect(Confirmation.isAffirmative("y"))
        #expect(!Confirmation.isAffirmative("no") && !Confirmation.isAffirmative("") && !Confirmation.isAffirmative(nil))
        let noTerminal = Terminal(stdinIsTerminal: false, stdoutIsTerminal: false, stderrIsTerminal: false, colour: false)
        #expect {
            try Confirmation.require("Wipe?", command: "device wipe", yes: false, terminal: noTerminal)
        } throws: { error in
            let error = error as? AdminError
            return error?.exitCode == 2 && error?.message.contains("--yes") == true
        }
    }

    @Test func tablesAlignByTerminalCells() {
        var table = Table(["NAME", "STATUS"])
        table.append(["王芳", "active"])
        table.append(["Tomás Ruiz", "notice"])
        table.append(["Ana\nLima", "suspended"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == ["NAME        STATUS", "王芳        active", "Tomás Ruiz  notice", "Ana Lima    suspended"])
        #expect(Table.displayWidth("王芳") == 4)
        #expect(Table.displayWidth("e\u{301}") == 1)
    }

    @Test func sessionFileIsPrivateAndRefusedWhenReadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = SessionStore(path: directory.path("nested/dir/session.json"))
        #expect(try store.load() == nil)
        let session = Session(
            server: "http://127.0.0.1:1", loginName: "admin", staffId: UUID(), staffName: "Administrator",
            deviceId: UUID(), accessToken: "a", accessTokenExpiresAt: Date(timeIntervalSince1970: 2_000_000_000),
            refreshToken: "r", refreshTokenExpiresAt: Date(timeIntervalSince1970: 2_000_000_000))
        try store.save(session)
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let directoryMode =
            try FileManager.default.attributesOfItem(atPath: directory.path("nested/dir"))[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        #expect(try store.load() == session)
        let deviceId = try store.deviceId()
        #expect(try store.deviceId() == deviceId)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store.path)
        #expect {
            try store.load()
        } throws: { error in
            "\(error)".contains("chmod 600")
        }
        #expect(store.delete())
        #expect(try store.load() == nil)
    }

    @Test func sessionPathPrecedence() {
        #expect(SessionStore.defaultPath(flag: "/f", environment: ["RAPPORT_SESSION_FILE": "/e"]) == "/f")
        #expect(SessionStore.defaultPath(environment: ["RAPPORT_SESSION_FILE": "/e", "HOME": "/h"]) == "/e")
        #expect(SessionStore.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/rapport/admin-session.json")
        #expect(SessionStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/rapport/admin-session.json")
    }

    @Test func referencesResolveByIdLoginOrName() throws {
        let ana = UUID()
        let list: [JSONValue] = [
            .object(["id": .string(ana.uuidString), "name": .string("Ana Lima"), "loginName": .string("ana.rep")]),
            .object(["id": .string(UUID().uuidString), "name": .string("Bo Chen")]),
            .object(["id": .string(UUID().uuidString), "name": .string("Bo Chen")]),
        ]
        for reference in [ana.uuidString.lowercased(), "ana.rep", "ANA LIMA"] {
            #expect(try Resolver.pick(reference, from: list, keys: ["loginName", "name"], noun: "member of staff", hint: "")["id"]?.text == ana.uuidString)
        }
        #expect(throws: AdminError.self) { try Resolver.pick("Bo Chen", from: list, keys: ["name"], noun: "x", hint: "") }
        #expect {
            try Resolver.pick("Zed", from: list, keys: ["name"], noun: "member of staff", hint: "run `staff list`")
        } throws: { error in
            (error as? AdminError)?.code == .notFound && "\(error)".contains("unknown member of staff 'Zed'")
        }
    }

    /// The error parsing `arguments` throws.
    static func error(_ arguments: [String]) -> any Error {
        do {
            _ = try RapportAdminCommand.parseAsRoot(arguments)
            return CancellationError()
        } catch {
            return error
        }
    }
}
