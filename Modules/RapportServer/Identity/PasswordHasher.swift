import Foundation
import NIOPosix
import RapportCrypto

/// Computes and checks password hashes (scrypt, deliberately slow and memory-hard) on a small
/// dedicated thread pool, never on Swift's cooperative pool: a burst of sign-ins then queues
/// behind these threads while every other request (sync, admin) keeps its cores.
///
/// The pool is NIO's `NIOThreadPool` (threads named `TP-#0`, `TP-#1`, …). One pool per size
/// lives for the whole process, shared by every server in it (tests start many), like NIO's own
/// singleton pools; a server uses ``ServerConfiguration/passwordHashingThreads`` threads.
///
/// ```swift
/// let hasher = PasswordHasher(threads: 1)
/// let hash = try await hasher.make(password: "correct horse battery", parameters: .interactive)
/// let ok = try await hasher.verify(password: "correct horse battery", against: hash)
/// ```
public struct PasswordHasher: Sendable {
    /// The number of threads hashing passwords.
    public let threadCount: Int
    private let pool: NIOThreadPool

    /// The prefix of the names of the pool's threads.
    public static let threadNamePrefix = "TP-#"

    /// A hasher over the process's pool of `threads` threads (at least 1), started on first use.
    public init(threads: Int) {
        threadCount = max(1, threads)
        pool = Self.pool(threads: threadCount)
    }

    /// A new scrypt hash of `password`.
    public func make(password: String, parameters: ScryptParameters) async throws -> String {
        try await perform { try PasswordHash.make(password: password, parameters: parameters) }
    }

    /// Whether `password` matches the encoded hash.
    public func verify(password: String, against encoded: String) async throws -> Bool {
        try await perform { try PasswordHash.verify(password: password, against: encoded) }
    }

    /// Runs blocking work on the hashing threads and waits for it without blocking the caller's
    /// thread. Work queues while every hashing thread is busy.
    ///
    /// - Throws: whatever `body` throws; `CancellationError` if the task is cancelled while queued.
    public func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var pools: [Int: NIOThreadPool] = [:]

    private static func pool(threads: Int) -> NIOThreadPool {
        lock.lock()
        defer { lock.unlock() }
        if let pool = pools[threads] { return pool }
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        pools[threads] = pool
        return pool
    }
}
