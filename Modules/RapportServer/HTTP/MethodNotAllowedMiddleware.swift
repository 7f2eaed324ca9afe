import HTTPTypes
import Hummingbird

/// Answers a request whose path names an endpoint but whose method does not with 405
/// `methodNotAllowed` and an `Allow` header listing the methods the path takes; any other
/// unmatched request keeps its 404.
///
/// Added to the router after every route, so it wraps only the router's not-found responder.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext

    /// Each route's path split into components (`{id}`-style captures match any one
    /// component), with the methods it answers.
    private let routes: [(components: [Substring], methods: [String])]

    init(routes: [(path: String, method: String)]) {
        var byPath: [String: [String]] = [:]
        for route in routes { byPath[route.path, default: []].append(route.method) }
        self.routes = byPath.map { path, methods in
            (path.split(separator: "/"), Array(Set(methods)).sorted())
        }
    }

    /// The methods `path` answers, empty when no route matches it. Like the router, a literal
    /// component wins over a capture (`roles/assign` over `roles/{name}`).
    func allowedMethods(for path: String) -> [String] {
        let components = path.split(separator: "/")
        var best: (specificity: [Bool], methods: Set<String>)?
        for route in routes where route.components.count == components.count {
            var specificity: [Bool] = []
            var matches = true
            for (pattern, component) in zip(route.components, components) {
                let capture = pattern.hasPrefix("{") || pattern.hasPrefix(":") || pattern == "*"
                guard capture || pattern == component else {
                    matches = false
                    break
                }
                specificity.append(!capture)
            }
            guard matches else { continue }
            if let current = best, current.specificity == specificity {
                best?.methods.formUnion(route.methods)
            } else if best == nil || best!.specificity.lexicographicallyPrecedes(specificity, by: { !$0 && $1 }) {
                best = (specificity, Set(route.methods))
            }
        }
        return best.map { $0.methods.sorted() } ?? []
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let allowed = allowedMethods(for: request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else {
            return try await next(request, context)
        }
        var error = ServerError(
            .methodNotAllowed,
            "\(request.uri.path) does not take \(request.method.rawValue); it takes \(allowed.joined(separator: ", ")) (see Docs/openapi.yaml)"
        )
        error.allowedMethods = allowed
        throw error
    }
}
