import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with Rapport's connection limits: each accepted
/// connection gets a ``ConnectionGuardHandler``, which has the shared ``ConnectionLimiter``
/// admit it (served, probe-only, or closed at once) and enforces timeouts, header size and
/// probe-only rules.
///
/// Used through ``HTTPServerBuilder/guardedHTTP1(limits:maxBodyBytes:limiter:metrics:logger:)``;
/// TLS wraps it like any child channel (`.tls(.guardedHTTP1(...), tlsConfiguration:)`).
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let limits: ConnectionLimits
    let drainLimit: Int
    let limiter: ConnectionLimiter
    let metrics: ServerMetrics
    let logger: Logger
    let refusals: RefusalLog

    var responder: Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limits = limits
        let drainLimit = drainLimit
        let limiter = limiter
        let refusals = refusals
        let metrics = metrics
        let guardLogger = self.logger
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let handler = ConnectionGuardHandler(
                limits: limits, drainLimit: drainLimit, limiter: limiter, refusals: refusals, metrics: metrics,
                logger: guardLogger)
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(handler, position: .after(decoder))
            try pipeline.addHandler(BytesArrivedObserver(handler), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with Rapport's connection limits (``GuardedHTTP1Channel``): the decoder's header
    /// limits set to `limits.maxHeaderBytes`, connections admitted by `limiter`, timeouts and
    /// probe-only rules per connection. `maxBodyBytes` bounds how much of an unread body is
    /// drained after an early answer.
    static func guardedHTTP1(
        limits: ConnectionLimits, maxBodyBytes: Int, limiter: ConnectionLimiter, metrics: ServerMetrics, logger: Logger
    ) -> HTTPServerBuilder {
        let refusals = RefusalLog()
        return HTTPServerBuilder { responder in
            let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
                maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes,
                maxHeaderFieldCount: 1_000)
            let base = HTTP1Channel(
                responder: responder, configuration: .init(idleTimeout: nil, httpDecoderConfiguration: decoder))
            return GuardedHTTP1Channel(
                base: base, limits: limits, drainLimit: max(maxBodyBytes, 1 << 20), limiter: limiter, metrics: metrics,
                logger: logger, refusals: refusals)
        }
    }
}
