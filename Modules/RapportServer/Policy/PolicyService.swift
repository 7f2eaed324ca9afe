import Foundation
import RapportAccess

/// Holds the current `AccessPolicy`, built from ``ServerStorage/organisation()``, and rebuilds
/// it whenever the organisation changes.
///
/// Freshness, strongest first:
/// - with ``SyncScopeStorage`` (SQLite), every organisation write raises a version counter in
///   the writing transaction (triggers on team, staff, role, grant and device tables); each
///   ``current()`` reads the counter (one indexed row) and rebuilds when it moved, so a
///   revocation applies to the very next request;
/// - ``invalidate()`` forces a rebuild (call it after changing anything the triggers do not
///   cover, e.g. deny rules or settings kept elsewhere);
/// - whatever the source, a policy is never used when older than ``maxAge`` (2 s).
///
/// ```swift
/// let policy = try await services.policy.current()
/// let scope = policy.scope(for: principal, now: Date())
/// ```
public actor PolicyService {
    /// Where the organisation lives.
    public nonisolated let storage: any ServerStorage
    /// The oldest a cached policy may be.
    public nonisolated let maxAge: Duration

    private var cached: AccessPolicy?
    private var cachedVersion: Int64?
    private var cachedGeneration = 0
    private var builtAt = ContinuousClock.now
    private var generation = 0

    /// Creates the service; the first ``current()`` builds the policy.
    public init(storage: any ServerStorage, maxAge: Duration = .seconds(2)) {
        self.storage = storage
        self.maxAge = maxAge
    }

    /// The policy for the organisation as stored now.
    public func current() async throws -> AccessPolicy {
        let version = try await storage.organisationVersion()
        if let cached, cachedGeneration == generation, version == cachedVersion,
            ContinuousClock.now - builtAt < maxAge
        {
            return cached
        }
        // Read the version before the organisation: a write in between makes the next call
        // rebuild again, never keeps a stale policy.
        let startedGeneration = generation
        let started = ContinuousClock.now
        let policy = AccessPolicy(try await storage.organisation())
        if startedGeneration == generation {
            cached = policy
            cachedVersion = version
            cachedGeneration = startedGeneration
            builtAt = started
        }
        return policy
    }

    /// Drops the cached policy; the next ``current()`` rebuilds it. The admin API calls this
    /// after every change to staff, teams, roles, grants, deny rules or settings.
    public func invalidate() {
        generation += 1
        cached = nil
    }
}
