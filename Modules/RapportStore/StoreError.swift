/// An error raised by ``EncryptedStore`` and the encrypting VFS.
///
/// Every failure carries a ``code`` to switch on and a ``message`` that says what to do next.
/// Damage to the files on disk is always reported as one of the integrity codes
/// (``Code/pageAuthenticationFailed``, ``Code/pagesSwapped``, ``Code/truncated``), never as
/// silently wrong rows.
///
/// ```swift
/// do {
///     store = try await EncryptedStore.open(at: path, credential: .passcode(entered))
/// } catch let error as StoreError where error.code == .wrongKey {
///     // ask for the passcode again
/// }
/// ```
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case wrongKey
            case pageAuthenticationFailed
            case pagesSwapped
            case truncated
            case notARapportStore
            case keyFileMismatch
            case unsupportedFormat
            case alreadyExists
            case notFound
            case closed
            case invalidRecord
            case recordDeleted
            case invalidArgument
            case database
            case io
            case storeFull
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The passcode or platform key does not unlock this store.
        public static let wrongKey = Code(.wrongKey)
        /// A page failed authentication: it was altered or damaged. The message names the page.
        public static let pageAuthenticationFailed = Code(.pageAuthenticationFailed)
        /// A page is authentic but sits at another page's position (pages were swapped or moved).
        public static let pagesSwapped = Code(.pagesSwapped)
        /// The database file is shorter than its content says (cut off, or a page is missing).
        public static let truncated = Code(.truncated)
        /// The file is not an encrypted Rapport store (a plain SQLite file, or no key file).
        public static let notARapportStore = Code(.notARapportStore)
        /// The key file belongs to another store file.
        public static let keyFileMismatch = Code(.keyFileMismatch)
        /// The key file has a format version or cipher this build does not know.
        public static let unsupportedFormat = Code(.unsupportedFormat)
        /// ``EncryptedStore/create(at:credentials:configuration:)`` found a store already there.
        public static let alreadyExists = Code(.alreadyExists)
        /// There is no store at the path.
        public static let notFound = Code(.notFound)
        /// The store was closed or wiped.
        public static let closed = Code(.closed)
        /// A record could not be encoded, decoded or indexed.
        public static let invalidRecord = Code(.invalidRecord)
        /// The record was deleted locally; it cannot be edited until the deletion is synced or undone.
        public static let recordDeleted = Code(.recordDeleted)
        /// An argument is out of range (empty credential list, empty passcode, wrong key size).
        public static let invalidArgument = Code(.invalidArgument)
        /// SQLite reported an error that is not an integrity failure.
        public static let database = Code(.database)
        /// A file-system operation failed.
        public static let io = Code(.io)
        /// The store reached its size limit (``StoreConfiguration/maximumSizeBytes``) or the disk is
        /// full: the write was refused as a whole and nothing of it was kept. Sync to push the
        /// outbox, free space, or raise the limit, then try the edit again.
        public static let storeFull = Code(.storeFull)

        /// The code's name, e.g. `wrongKey`.
        public var description: String {
            switch base {
            case .wrongKey: "wrongKey"
            case .pageAuthenticationFailed: "pageAuthenticationFailed"
            case .pagesSwapped: "pagesSwapped"
            case .truncated: "truncated"
            case .notARapportStore: "notARapportStore"
            case .keyFileMismatch: "keyFileMismatch"
            case .unsupportedFormat: "unsupportedFormat"
            case .alreadyExists: "alreadyExists"
            case .notFound: "notFound"
            case .closed: "closed"
            case .invalidRecord: "invalidRecord"
            case .recordDeleted: "recordDeleted"
            case .invalidArgument: "invalidArgument"
            case .database: "database"
            case .io: "io"
            case .storeFull: "storeFull"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation that says what to do next.
    public var message: String
    /// The page number concerned, for the integrity codes.
    public var pageNumber: UInt32?
    /// The underlying error, if any (a GRDB `DatabaseError`, a `CryptoError`, a file-system error).
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(code: Code, message: String, pageNumber: UInt32? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.pageNumber = pageNumber
        self.cause = cause
    }

    /// `StoreError(code): message`.
    public var description: String {
        var text = "StoreError(\(code)): \(message)"
        if let cause {
            text += " [cause: \(cause)]"
        }
        return text
    }
}
