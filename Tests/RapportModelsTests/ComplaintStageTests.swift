import Foundation
import RapportModels
import Testing

@Suite("Complaint stages")
struct ComplaintStageTests {
    static let received = Samples.date("2025-06-01T09:00:00Z")

    static func fresh() -> Complaint {
        Complaint(
            customerId: Samples.customerId, ownerId: Samples.staff, number: "CP-9", severity: .medium,
            receivedAt: received, responseDueAt: received.addingTimeInterval(4 * 3600),
            resolutionDueAt: received.addingTimeInterval(3 * 86_400), createdAt: received)
    }

    @Test func advancingStepByStepRecordsEachStage() throws {
        var complaint = Self.fresh()
        var time = Self.received
        for stage in Complaint.Stage.allCases.dropFirst() {
            time = time.addingTimeInterval(3600)
            try complaint.advance(to: stage, at: time)
            #expect(complaint.stage == stage)
            #expect(complaint.timestamp(of: stage) == time)
            try complaint.validate()
        }
    }

    @Test func skippedStagesGetTheSameTimestamp() throws {
        var complaint = Self.fresh()
        let fixed = Self.received.addingTimeInterval(7200)
        try complaint.advance(to: .resolved, at: fixed)
        #expect(complaint.acknowledgedAt == fixed)
        #expect(complaint.investigatingAt == fixed)
        #expect(complaint.resolvedAt == fixed)
        #expect(complaint.followedUpAt == nil)
        try complaint.validate()
    }

    @Test func stagesOnlyMoveForward() throws {
        var complaint = Self.fresh()
        try complaint.advance(to: .investigating, at: Self.received.addingTimeInterval(60))
        for target in [Complaint.Stage.received, .acknowledged, .investigating] {
            let error = try #require(throws: ValidationError.self) {
                try complaint.advance(to: target, at: Self.received.addingTimeInterval(120))
            }
            #expect(error.rule == .stageOrder)
            #expect(error.field == "stage")
        }
        #expect(complaint.stage == .investigating)
    }

    @Test func advancingToATimeBeforeTheCurrentStageIsRejected() throws {
        var complaint = Self.fresh()
        try complaint.advance(to: .acknowledged, at: Self.received.addingTimeInterval(600))
        let before = complaint
        let error = try #require(throws: ValidationError.self) {
            try complaint.advance(to: .resolved, at: Self.received.addingTimeInterval(300))
        }
        #expect(error.rule == .timestampOrder)
        #expect(error.field == "resolvedAt")
        #expect(complaint == before)
    }

    @Test func breachFlagsTurnOnAndStayOn() throws {
        var complaint = Self.fresh()
        let late = Self.received.addingTimeInterval(5 * 3600)
        complaint = complaint.updatingBreaches(at: Self.received.addingTimeInterval(3600))
        #expect(!complaint.responseBreached)
        complaint = complaint.updatingBreaches(at: late)
        #expect(complaint.responseBreached)
        #expect(!complaint.resolutionBreached)
        try complaint.advance(to: .resolved, at: late.addingTimeInterval(3600))
        complaint = complaint.updatingBreaches(at: late.addingTimeInterval(10 * 86_400))
        #expect(complaint.responseBreached, "a breach stays set after the complaint is handled")
        #expect(!complaint.resolutionBreached, "resolved before its deadline")
    }

    @Test func lateAcknowledgementIsABreachEvenIfCheckedLater() throws {
        var complaint = Self.fresh()
        try complaint.advance(to: .acknowledged, at: Self.received.addingTimeInterval(6 * 3600))
        #expect(complaint.updatingBreaches(at: Self.received.addingTimeInterval(6 * 3600)).responseBreached)
    }

    @Test func stagesAreOrdered() {
        #expect(Complaint.Stage.allCases == Complaint.Stage.allCases.sorted())
        #expect(Complaint.Stage.received < .closed)
        #expect(Complaint.timestampField(of: .followedUp) == "followedUpAt")
    }
}
