import RapportServerTesting

/// The real server the integration tests start (`RapportServerTesting`, which also holds the
/// HTTP client side the tests speak with: `LiveServer+HTTP.swift`).
typealias TestServer = LiveServer
