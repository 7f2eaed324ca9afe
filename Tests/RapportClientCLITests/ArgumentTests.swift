import ArgumentParser
import Foundation
import RapportCLISupport
import RapportClient
import RapportModels
import Testing

@testable import RapportClientCLI

/// In-process: argument parsing, validation and the pure helpers (no server, no process).
@Suite("rapport-client arguments")
struct ArgumentTests {
    @Test("--set values: JSON when they parse, text otherwise; text fields keep bare numbers as text")
    func assignmentValues() throws {
        #expect(try FieldAssignment(parsing: "name=Wang Fang").value == .string("Wang Fang"))
        #expect(try FieldAssignment(parsing: "tags=[\"vip\",\"export\"]").value == .array(["vip", "export"]))
        #expect(try FieldAssignment(parsing: "paymentTermDays=30").value == .int(30))
        #expect(try FieldAssignment(parsing: "notes=null").value == .null)
        #expect(try FieldAssignment(parsing: "name=123").value == .string("123"))
        #expect(try FieldAssignment(parsing: "code=a=b").value == .string("a=b"))
        let phones = try FieldAssignment(parsing: "individual.phones=[\"13800138000\"]")
        #expect(phones.path == "individual.phones" && phones.value == .array(["13800138000"]))
    }

    @Test(
        "--set problems are usage errors that say what to do",
        arguments: [
            ("name", "malformed; write it as path=value"), ("=x", "malformed"), ("nmae=x", "did you mean 'name'"),
            ("individual.phone=[]", "'individual.phones'"), ("tier=key", "set tierOverride instead"),
            ("kind=enterprise", "fixed when the record is created"), ("version=3", "set by the server"),
        ])
    func assignmentProblems(_ text: String, _ expected: String) {
        do {
            _ = try FieldAssignment(parsing: text)
            Issue.record("\(text) should be refused")
        } catch let error as ClientCLIError {
            #expect(error.exitCode == 2)
            #expect(error.message.contains(expected), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(
        "usage errors exit 2 before anything is opened",
        arguments: [
            ["edit", "abcd", "--set", "nmae=x"], ["edit", "abcd", "--set", "name"], ["edit", "abcd"],
            ["customers", "list", "--tier", "gold"], ["customers", "list", "--owner", "you"],
            ["create", "--name", "X", "--kind", "robot"],
            ["log-interaction", "abcd", "--type", "fax", "--summary", "s"],
            ["log-interaction", "abcd", "--type", "visit", "--summary", "s", "--at", "yesterday"],
            ["complaint", "advance", "abcd", "--to", "done"],
            ["complaint", "open", "abcd", "--title", "t", "--description", "d", "--severity", "huge"],
            ["simulate", "--server", "http://127.0.0.1:9", "--devices", "0"],
            ["simulate", "--server", "http://127.0.0.1:9", "--login", "nopassword"],
            ["simulate", "--server", "ftp://example.com"], ["login", "--server", "http://127.0.0.1:9"], ["frobnicate"],
        ])
    func usageErrors(_ arguments: [String]) async {
        #expect(await RapportClientCommand.run(arguments: arguments) == 2)
    }

    @Test("the parsed commands carry their options")
    func parses() throws {
        let command = try RapportClientCommand.parseAsRoot([
            "edit", "3f2a", "--set", "name=A", "--set", "tags=[]", "--dir", "/tmp/d", "--json",
        ])
        let edit = try #require(command as? EditCommand)
        #expect(edit.id == "3f2a" && edit.device.json && edit.device.folder.path == "/tmp/d")
        #expect(try edit.parsed().map(\.path) == ["name", "tags"])
        let simulate = try #require(
            try RapportClientCommand.parseAsRoot([
                "simulate", "--server", "http://127.0.0.1:8080", "--login", "a:p:q", "--devices", "3",
            ]) as? SimulateCommand)
        #expect(try simulate.parsedLogins() == [Simulation.Login(name: "a", password: "p:q")])
        #expect(try SimulateCommand.parseAsRoot(["--server", "http://x:1"]) is SimulateCommand)
        let defaults = try #require(
            try RapportClientCommand.parseAsRoot(["simulate", "--server", "http://127.0.0.1:8080"]) as? SimulateCommand)
        #expect(try defaults.parsedLogins() == SimulateCommand.demoLogins)
    }

    @Test("close matches rank the nearest paths first")
    func closeMatches() {
        #expect(FieldAssignment.closeMatches("nme", kind: .customer).first == "name")
        #expect(FieldAssignment.closeMatches("phones", kind: .customer).contains("individual.phones"))
        #expect(FieldAssignment.closeMatches("zzzzzzzzzz", kind: .customer).isEmpty)
    }

    @Test("validation ignores masked values but still checks visible fields")
    func maskedValidation() throws {
        let owner = UUID()
        let customer = Customer(
            kind: .individual, name: "王芳", sourceChannel: .referral, ownerId: owner, teamId: owner, createdAt: Date(),
            individual: IndividualProfile(phones: ["138****8000"]))
        let fields = try customer.fieldMap()
        #expect(throws: RapportModels.ValidationError.self) { try customer.validate() }
        try MaskedValidation.validate(.customer, fields: fields, masked: ["individual.phones", "notes"])
        var bad = fields
        bad["paymentTermDays"] = 9_999
        #expect(throws: RapportModels.ValidationError.self) {
            try MaskedValidation.validate(.customer, fields: bad, masked: ["individual.phones"])
        }
    }

    @Test("the seeded generator repeats its sequence")
    func seeded() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
    }

    @Test("the progress line shows records, pages and rate, and the bar moves")
    func progressBar() {
        let one = SyncProgress.bar(frame: 0, pages: 3, changes: 600, elapsed: 2)
        let two = SyncProgress.bar(frame: 5, pages: 3, changes: 600, elapsed: 2)
        #expect(one.contains("600 records, 3 pages, 300 records/s"))
        #expect(one != two)
    }

    @Test("tables align CJK names by terminal cells")
    func table() {
        var table = Table(["NAME", "TIER"])
        table.append(["王芳", "key"])
        table.append(["Ana", "—"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == ["NAME  TIER", "王芳  key", "Ana   —"])
    }

    @Test("interaction times and channels")
    func interactionInputs() {
        #expect(LogInteractionCommand.time("2026-03-01T08:30:00Z") != nil)
        #expect(LogInteractionCommand.time("2026-03-01T08:30:00.250Z") != nil)
        #expect(LogInteractionCommand.time("2026-03-01") != nil)
        #expect(LogInteractionCommand.time("soon") == nil)
        #expect(LogInteractionCommand.channel("call") == .phone)
        #expect(LogInteractionCommand.channel("visit") == .visit)
    }
}
