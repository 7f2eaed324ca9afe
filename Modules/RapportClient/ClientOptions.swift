import Foundation
import RapportStore
import RapportSyncClient

/// How a ``RapportClient`` connects, stores and syncs.
public struct ClientOptions: Sendable {
    /// PEM certificates to trust besides the system's (a private CA).
    public var caFile: String?
    /// The longest an HTTP request may take, in seconds. Default 60.
    public var requestTimeoutSeconds: Int64
    /// Batching, paging and retries of the sync engine.
    public var sync: SyncEngineConfiguration
    /// The encrypted store's page cache and indexing.
    public var store: StoreConfiguration
    /// Where the device key lives. `nil`: ``FileKeychain`` in the client folder (Linux).
    public var keychain: (any DeviceKeychain)?
    /// The clock (tests move it to check lease expiry).
    public var now: @Sendable () -> Date
    /// How the sync engine sleeps between retries.
    public var sleeper: any SyncSleeper

    /// The defaults.
    public init(
        caFile: String? = nil, requestTimeoutSeconds: Int64 = 60, sync: SyncEngineConfiguration = SyncEngineConfiguration(),
        store: StoreConfiguration = StoreConfiguration(), keychain: (any DeviceKeychain)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, sleeper: any SyncSleeper = TaskSleeper()
    ) {
        self.caFile = caFile
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.sync = sync
        self.store = store
        self.keychain = keychain
        self.now = now
        self.sleeper = sleeper
    }
}

/// The files of one signed-in device in its folder.
public struct ClientDirectory: Sendable, Hashable {
    /// The folder.
    public let path: String

    /// The files in `path`.
    public init(_ path: String) {
        self.path = (path as NSString).standardizingPath
    }

    /// The encrypted store (`store.db`, with `store.db.keys` beside it).
    public var store: String { path + "/store.db" }
    /// The sealed session (`session.json`).
    public var session: String { path + "/session.json" }
    /// The device key of ``FileKeychain`` (`device.key`).
    public var deviceKey: String { path + "/device.key" }
}
