import Foundation
import RapportCrypto
import RapportServer
import Testing

#if canImport(Darwin)
    import Darwin
#endif

/// The name of the calling thread (what `ps -L` shows), or "" if it has none.
private func currentThreadName() -> String {
    #if os(Linux)
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return name.trimmingCharacters(in: .newlines)
    #else
        var buffer = [CChar](repeating: 0, count: 64)
        pthread_getname_np(pthread_self(), &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    #endif
}

@Suite("Password hashing runs on its own threads, not the cooperative pool")
struct PasswordHasherTests {
    @Test func hashingRunsOnTheDedicatedThreads() async throws {
        let hasher = PasswordHasher(threads: 2)
        let outside = currentThreadName()
        let inside = try await hasher.perform { currentThreadName() }
        #expect(inside.hasPrefix(PasswordHasher.threadNamePrefix), "ran on '\(inside)'")
        #expect(!outside.hasPrefix(PasswordHasher.threadNamePrefix), "the test itself ran on '\(outside)'")
        let hash = try await hasher.make(password: "correct horse battery", parameters: .testing)
        #expect(try await hasher.verify(password: "correct horse battery", against: hash))
        #expect(try await !hasher.verify(password: "wrong horse battery", against: hash))
    }

    @Test func theDefaultSizeLeavesHalfTheCores() {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(ServerConfiguration().passwordHashingThreads == max(1, cores / 2))
        #expect(PasswordHasher(threads: 0).threadCount == 1)
    }

    /// More verifications than the cooperative pool has threads wait on a gate inside the hashing
    /// pool; unrelated tasks still run to completion. Were verification on the cooperative pool,
    /// the blocked verifications would hold every one of its threads and this test would hang
    /// (and fail its time limit) instead. No wall-clock timing involved.
    @Test(.timeLimit(.minutes(1)))
    func blockedVerificationsDoNotStarveOtherTasks() async throws {
        let hasher = PasswordHasher(threads: 3)
        let hash = try await hasher.make(password: "correct horse battery", parameters: .testing)
        let gate = DispatchSemaphore(value: 0)
        let count = ProcessInfo.processInfo.activeProcessorCount + 3
        let verifications = (0..<count).map { _ in
            Task {
                try await hasher.perform {
                    gate.wait()
                    return try PasswordHash.verify(password: "correct horse battery", against: hash)
                }
            }
        }
        let unrelated = await withTaskGroup(of: Int.self) { group in
            for value in 1...1_000 { group.addTask { value } }
            return await group.reduce(0, +)
        }
        #expect(unrelated == 500_500)
        for _ in 0..<count { gate.signal() }
        for verification in verifications {
            #expect(try await verification.value)
        }
    }
}
