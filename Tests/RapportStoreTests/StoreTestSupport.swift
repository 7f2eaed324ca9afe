import Foundation
import RapportCrypto
import RapportModels
import RapportTesting
@testable import RapportStore

/// Shared fixtures: customers with distinctive sensitive values, raw file helpers.
enum Fixture {
    static let owner = UUID(uuidString: "A0000000-0000-4000-8000-000000000001")!
    static let otherOwner = UUID(uuidString: "A0000000-0000-4000-8000-000000000002")!
    static let team = UUID(uuidString: "B0000000-0000-4000-8000-000000000001")!
    static let created = Date(timeIntervalSince1970: 1_700_000_000)

    static var configuration: StoreConfiguration {
        StoreConfiguration(scrypt: .testing, pageCacheKiB: 256, maximumReaderCount: 2)
    }

    static func customer(
        _ index: Int, name: String? = nil, owner: UUID = owner, tier: ValueTier = .normal,
        notes: String? = nil, company: String = "Acme"
    ) -> Customer {
        Customer(
            id: UUID(uuidString: String(format: "C0000000-0000-4000-8000-%012d", index))!,
            kind: .individual, name: name ?? "Customer Number\(index)", sourceChannel: .referral,
            ownerId: owner, teamId: team, tier: tier, notes: notes ?? "note-\(index)",
            createdAt: created.addingTimeInterval(Double(index)),
            individual: IndividualProfile(
                phones: [String(format: "+86-139-%08d", 55_000_000 + index)],
                emails: ["person\(index)@secret-mail.example"], employer: company))
    }

    /// The sensitive strings of `customer(index)` that must never reach the disk in clear.
    static func needles(_ index: Int) -> [String] {
        [
            "Customer Number\(index)", String(format: "+86-139-%08d", 55_000_000 + index),
            "person\(index)@secret-mail.example", "note-\(index)",
        ]
    }

    static func bytes(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return false }
        let first = pattern[0]
        var index = 0
        let last = haystack.count - pattern.count
        while index <= last {
            if haystack[index] == first, Array(haystack[index..<(index + pattern.count)]) == pattern { return true }
            index += 1
        }
        return false
    }

    /// Creates a store with `count` customers saved locally, then closes it.
    static func populatedStore(in directory: TemporaryDirectory, count: Int, passcode: String = "1234-5678") async throws -> String {
        let path = directory.path("store.rapportdb")
        let store = try await EncryptedStore.create(at: path, credentials: [.passcode(passcode)], configuration: configuration)
        for index in 0..<count {
            try await store.save(customer(index), clock: "c\(index)")
        }
        try await store.close()
        return path
    }

    static func expectStoreError(_ code: StoreError.Code, _ body: () async throws -> Void) async -> StoreError? {
        do {
            try await body()
        } catch let error as StoreError {
            return error.code == code ? error : { print("unexpected \(error)"); return nil }()
        } catch {
            print("unexpected non-store error \(error)")
            return nil
        }
        return nil
    }
}
