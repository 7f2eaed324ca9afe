import CoreMetrics
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import RapportModels

/// Enforces the connection limits Hummingbird leaves open, on one connection, between NIO's
/// HTTP/1 decoder and Hummingbird's codec (`Docs/Operations.md`, "Limits"):
///
/// - **idle**: no byte of a request for ``ConnectionLimits/idleTimeout`` → closed silently;
/// - **slow head**: a request head not complete ``ConnectionLimits/headerTimeout`` after its
///   first byte → 408 `requestTimeout`, closed;
/// - **slow body**: a body not complete ``ConnectionLimits/bodyTimeout`` after its head → 408
///   (or, if the endpoint already answered, just closed);
/// - **large head**: the decoder's header overflow → 431 `headersTooLarge`, closed (NIO's
///   default answer would be a bare 400);
/// - **connection caps**: when the connection becomes active (its peer address known) the
///   shared ``ConnectionLimiter`` decides: served; **probe-only** (over a cap, a reserved slot
///   free) — one request to `/healthz`, `/readyz` or `/metrics` with `Connection: close`, anything
///   else → 503 `connectionLimit`; or closed at once. The slot is released when the connection closes.
///
/// A body the endpoint answered without reading (413, 401 …) is drained at most
/// `drainLimit` bytes before the connection is closed, so an oversized upload is never read to its end.
///
/// All state lives on the channel's event loop; ``BytesArrivedObserver`` tells it when raw
/// bytes arrive, so "idle" and "slow head" can be told apart.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The paths a probe-only connection may ask for.
    static let probePaths: Set<Substring> = ["/healthz", "/readyz", "/metrics"]

    private enum Timer: String {
        case idle = "idleTimeout", header = "headerTimeout", body = "bodyTimeout"
    }

    private let limits: ConnectionLimits
    private let drainLimit: Int
    private let limiter: ConnectionLimiter
    private let refusals: RefusalLog
    private let metrics: ServerMetrics
    private let logger: Logger
    /// What the limiter decided when the connection became active (its peer address is known
    /// only then); `nil` before.
    private var admission: (decision: ConnectionLimiter.Admission, address: String?)?
    private var probeOnly: Bool { admission.map { $0.decision != .serve } ?? false }

    private var requestOpen = false
    private var unansweredRequests = 0
    private var responseHeadWritten = false
    private var drainedBytes = 0
    private var answered = false
    private var timer: (kind: Timer, task: Scheduled<Void>)?
    private var context: ChannelHandlerContext?

    init(
        limits: ConnectionLimits, drainLimit: Int, limiter: ConnectionLimiter, refusals: RefusalLog,
        metrics: ServerMetrics, logger: Logger
    ) {
        self.limits = limits
        self.drainLimit = drainLimit
        self.limiter = limiter
        self.refusals = refusals
        self.metrics = metrics
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { admit(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        release()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        release()
        context.fireChannelInactive()
    }

    // MARK: - Admission

    /// Asks the limiter about this connection once: served, probe-only, or closed at once.
    private func admit(context: ChannelHandlerContext) {
        guard admission == nil else { return }
        let address = ClientAddress.text(of: context.channel.remoteAddress)
        let decision = limiter.admit(address: address)
        admission = (decision, address)
        metrics.openConnections.record(limiter.current.open)
        switch decision {
        case .serve:
            awaitRequest(context: context)
        case .probeOnly(let reason):
            metrics.recordLimitedConnection(reason: reason.rawValue, outcome: "probeOnly")
            refusals.note(reason: reason, outcome: "probeOnly", address: address, limiter: limiter, logger: logger)
            awaitRequest(context: context)
        case .refuse(let reason):
            metrics.recordLimitedConnection(reason: reason.rawValue, outcome: "refused")
            refusals.note(reason: reason, outcome: "refused", address: address, limiter: limiter, logger: logger)
            close(context: context)
        }
    }

    private func release() {
        guard let admission else { return }
        self.admission = (.refuse(.total), nil)  // released once; nothing more to uncount
        if limiter.release(admission.decision, address: admission.address) {
            // A moment later: the rest of the closing wave frees its buffers first.
            Task.detached(priority: .background) {
                try? await Task.sleep(for: .seconds(1))
                MemoryTrim.releaseFreeMemory()
            }
        }
        metrics.openConnections.record(limiter.current.open)
    }

    /// Raw bytes arrived: an idle connection starts sending a request head.
    func bytesArrived() {
        guard let context, timer?.kind == .idle else { return }
        schedule(.header, after: probeOnly ? min(limits.headerTimeout, .seconds(2)) : limits.headerTimeout, context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        switch unwrapInboundIn(data) {
        case .head(var head):
            requestOpen = true
            unansweredRequests += 1
            drainedBytes = 0
            if probeOnly {
                guard let path = head.uri.split(separator: "?", maxSplits: 1).first, Self.probePaths.contains(path) else {
                    metrics.recordConnectionLimit("probeOnly")
                    answer(
                        ServerError(
                            .connectionLimit,
                            "the server is at its connection limit; this connection serves health checks only; retry later over fewer connections"
                        ), context: context)
                    return
                }
                head.headers.replaceOrAdd(name: "connection", value: "close")
            }
            schedule(.body, after: limits.bodyTimeout, context: context)
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body(let bytes):
            if unansweredRequests == 0 {
                drainedBytes += bytes.readableBytes
                if drainedBytes > drainLimit {
                    close(context: context)
                    return
                }
            }
            context.fireChannelRead(data)
        case .end:
            requestOpen = false
            if unansweredRequests == 0 { awaitRequest(context: context) } else { cancelTimer() }
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !answered else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head:
            responseHeadWritten = true
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            responseHeadWritten = false
            unansweredRequests = max(0, unansweredRequests - 1)
            context.write(data, promise: promise)
            if unansweredRequests == 0, !requestOpen { awaitRequest(context: context) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if answered { return }
        if let parserError = error as? HTTPParserError, parserError == .headerOverflow {
            metrics.recordConnectionLimit("headersTooLarge")
            answer(
                ServerError(
                    .headersTooLarge,
                    "the request line and header fields are larger than the limit of \(limits.maxHeaderBytes) bytes; send fewer or shorter headers"
                ), context: context)
            return
        }
        context.fireErrorCaught(error)
    }

    // MARK: - Timers

    private func awaitRequest(context: ChannelHandlerContext) {
        schedule(.idle, after: probeOnly ? min(limits.idleTimeout, .seconds(2)) : limits.idleTimeout, context: context)
    }

    private func schedule(_ kind: Timer, after delay: Duration, context: ChannelHandlerContext) {
        cancelTimer()
        let task = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: TimeAmount(delay)) {
            self.timer = nil
            self.timedOut(kind, context: context)
        }
        timer = (kind, task)
    }

    private func cancelTimer() {
        timer?.task.cancel()
        timer = nil
    }

    private func timedOut(_ kind: Timer, context: ChannelHandlerContext) {
        guard !answered else { return }
        metrics.recordConnectionLimit(kind.rawValue)
        switch kind {
        case .idle:
            close(context: context)
        case .header:
            logger.debug("closing a connection whose request head is late", metadata: ["limit": "\(kind.rawValue)"])
            answer(
                ServerError(
                    .requestTimeout,
                    "the request head did not arrive within \(limits.headerTimeout); send the whole request at once"),
                context: context)
        case .body:
            logger.debug("closing a connection whose request body is late", metadata: ["limit": "\(kind.rawValue)"])
            answer(
                ServerError(
                    .requestTimeout,
                    "the request body did not arrive within \(limits.bodyTimeout); send it faster or in smaller requests"),
                context: context)
        }
    }

    // MARK: - Answers

    /// Answers `error` with `Connection: close` unless a response is already under way, then closes.
    private func answer(_ error: ServerError, context: ChannelHandlerContext) {
        guard !answered else { return }
        if responseHeadWritten {
            close(context: context)
            return
        }
        answered = true
        cancelTimer()
        let body = (try? RapportJSON.encoder().encode(error.body)) ?? Data("{}".utf8)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json; charset=utf-8")
        headers.add(name: "cache-control", value: "no-store")
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: "close")
        let head = HTTPResponseHead(
            version: .http1_1, status: HTTPResponseStatus(statusCode: Int(error.status.code)), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func close(context: ChannelHandlerContext) {
        answered = true
        cancelTimer()
        context.close(promise: nil)
    }
}

/// Sits first in a connection's pipeline and tells its ``ConnectionGuardHandler`` when raw
/// bytes arrive (before TLS or HTTP decoding).
final class BytesArrivedObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private let guardHandler: ConnectionGuardHandler

    init(_ guardHandler: ConnectionGuardHandler) {
        self.guardHandler = guardHandler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guardHandler.bytesArrived()
        context.fireChannelRead(data)
    }
}
