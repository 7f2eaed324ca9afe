import Foundation
import Testing

@testable import RapportAdminCLI

/// In-process: how `staff offboard` shows what the person received.
@Suite("rapport-admin offboarding report")
struct OffboardingReportTests {
    @Test("the report says customers, records per kind, sensitive values, exports, refusals, sign-ins and alerts")
    func receivedSummary() throws {
        let report = try JSONValue(
            data: Data(
                """
                {"staff": {"status": "departed"}, "devicesRevoked": [], "reassignment": {"status": "done", "customers": []},
                 "access": {"from": "a", "to": "b", "entries": 9, "records": [], "actions": {"recordsSent": 3},
                   "received": {"customers": 4, "customerIds": [], "records": {"interaction": 2, "customer": 4}, "deliveries": 3},
                   "sensitive": {"reveals": 1, "clearReads": 2, "records": 3, "fields": ["individual.phones"]},
                   "exports": 0, "refusals": 12, "logins": 1, "devices": ["D1"], "alerts": 2}}
                """.utf8))
        let text = StaffCommand.Offboard.describe(report, name: "Ana Lima")
        #expect(text.contains("Received: 4 distinct customers, 6 records (customer 4, interaction 2) in 3 deliveries."))
        #expect(text.contains("Sensitive values: 1 reveals, 2 deliveries in clear of 3 records (individual.phones)."))
        #expect(text.contains("Exports: 0. Refusals: 12. Sign-ins: 1 on 1 devices. Alerts: 2."))
    }

    @Test("a report from an older server (no 'received') still shows")
    func olderServer() throws {
        let report = try JSONValue(
            data: Data(#"{"devicesRevoked": [], "access": {"entries": 1, "actions": {"login": 1}}}"#.utf8))
        let text = StaffCommand.Offboard.describe(report, name: "Ana")
        #expect(text.contains("1 audit entries") && !text.contains("Received:"))
    }
}
