/// The size limits of the protocol (`Docs/Protocol.md`, "Limits"). The server enforces them
/// with ``SyncError/Code/bodyTooLarge``, ``SyncError/Code/batchTooLarge`` and
/// ``SyncError/Code/pageTooLarge``; the client engine stays within them.
public struct SyncLimits: Sendable, Hashable, Codable {
    /// The most mutations in one push. Default 200.
    public var maxBatchSize: Int
    /// The most changes (records) in one pull page. Default 500.
    public var maxPageSize: Int
    /// The page size when a pull does not ask for one. Default 200.
    public var defaultPageSize: Int
    /// The largest request body in bytes. Default 4 MiB.
    public var maxBodyBytes: Int
    /// The most fields one mutation may change. Default 300.
    public var maxFieldsPerMutation: Int

    /// The defaults.
    public init(
        maxBatchSize: Int = 200, maxPageSize: Int = 500, defaultPageSize: Int = 200,
        maxBodyBytes: Int = 4 * 1024 * 1024, maxFieldsPerMutation: Int = 300
    ) {
        self.maxBatchSize = maxBatchSize
        self.maxPageSize = maxPageSize
        self.defaultPageSize = defaultPageSize
        self.maxBodyBytes = maxBodyBytes
        self.maxFieldsPerMutation = maxFieldsPerMutation
    }

    /// Throws ``SyncError/Code/bodyTooLarge`` if `byteCount` exceeds ``maxBodyBytes``.
    public func checkBody(byteCount: Int) throws {
        if byteCount > maxBodyBytes {
            throw SyncError(
                .bodyTooLarge,
                "the request body is \(byteCount) bytes, more than the limit of \(maxBodyBytes); push fewer mutations per request")
        }
    }

    /// Throws ``SyncError/Code/batchTooLarge`` if the push holds too many mutations.
    public func check(_ push: PushRequest) throws {
        if push.mutations.count > maxBatchSize {
            throw SyncError(
                .batchTooLarge,
                "the push holds \(push.mutations.count) mutations, more than the limit of \(maxBatchSize); split it into batches of at most \(maxBatchSize)")
        }
    }

    /// The page size a pull gets; throws ``SyncError/Code/pageTooLarge`` above ``maxPageSize``
    /// and ``SyncError/Code/malformedRequest`` below 1.
    public func pageSize(for pull: PullRequest) throws -> Int {
        guard let limit = pull.limit else { return min(defaultPageSize, maxPageSize) }
        if limit > maxPageSize {
            throw SyncError(.pageTooLarge, "a pull may ask for at most \(maxPageSize) changes, not \(limit); lower 'limit'")
        }
        if limit < 1 {
            throw SyncError(.malformedRequest, "'limit' must be at least 1, not \(limit)")
        }
        return limit
    }
}
