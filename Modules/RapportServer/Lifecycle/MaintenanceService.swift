import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle

/// Periodic housekeeping, run by the server's `ServiceGroup`: purges expired tokens and
/// updates the active-devices gauge. Stops at graceful shutdown.
public struct MaintenanceService: Service {
    /// The services to maintain.
    public let services: ServerServices

    /// Creates the service.
    public init(services: ServerServices) {
        self.services = services
    }

    /// Runs one round now, then one every `maintenanceIntervalSeconds`, until shutdown.
    public func run() async throws {
        let interval = Duration.seconds(services.configuration.maintenanceIntervalSeconds)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await runOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One round: purge expired tokens, quiet sign-in counters of addresses and stale familiar
    /// addresses; count devices seen within the lease period and blocked addresses.
    public func runOnce() async {
        let now = Date()
        do {
            let purged = try await services.storage.purgeTokens(expiredBefore: now)
            let active = try await services.storage.activeDeviceCount(
                seenSince: now.addingTimeInterval(-services.configuration.leasePeriod))
            services.metrics.activeDevices.record(active)
            let throttle = services.configuration.loginThrottle
            _ = try await services.storage.purgeLoginRecords(
                quietSince: now.addingTimeInterval(-throttle.addressBlockPeriod),
                familiarSince: now.addingTimeInterval(-throttle.familiarAddressPeriod))
            services.metrics.blockedAddresses.record(try await services.storage.blockedAddressCount(at: now))
            if purged > 0 { services.logger.debug("purged expired tokens", metadata: ["count": "\(purged)"]) }
        } catch {
            services.logger.warning("maintenance failed; will retry", metadata: ["error": "\(error)"])
        }
    }
}
