import Foundation

/// One step of a sync history: what the scheduler does next. Programs are generated from a seed,
/// so a seed replays exactly, and are plain values, so a failing one can be shrunk.
enum HistoryOp: Sendable, Hashable, CustomStringConvertible {
    /// The device edits one field of the `slot`-th record it holds (sorted by id), offline.
    case edit(device: Int, slot: Int, field: String, value: String)
    /// The device pushes its outbox and pulls every page; `faults` apply to its requests in order.
    case sync(device: Int, faults: [FaultProxy.Fault])
    /// The server stops gracefully and starts again on the same data directory.
    case restart
    /// An administrator moves the `slot`-th customer (all customers sorted by id) to a rep.
    case reassign(slot: Int, toRep: Int)
    /// An administrator revokes the device.
    case revoke(device: Int)

    var device: Int? {
        switch self {
        case .edit(let device, _, _, _), .sync(let device, _), .revoke(let device): device
        case .restart, .reassign: nil
        }
    }

    var description: String {
        switch self {
        case .edit(let device, let slot, let field, let value):
            "edit    d\(device) record#\(slot) \(field) = \"\(value)\""
        case .sync(let device, let faults):
            "sync    d\(device)" + (faults.allSatisfy { $0 == .none } ? "" : " faults \(faults.map(\.rawValue))")
        case .restart: "restart server"
        case .reassign(let slot, let rep): "reassign customer#\(slot) to rep \(rep)"
        case .revoke(let device): "revoke  d\(device)"
        }
    }
}

/// The people and devices of a history: reps 0 and 1 and their manager (staff 2), all of one
/// team, so the manager's devices overlap with both reps' and the reps' own devices with each other.
struct HistoryCast: Sendable, Hashable {
    /// The staff index of each device (0, 1: reps; 2: the manager).
    var deviceStaff: [Int]
    /// Customers each rep owns at the start.
    var customersPerRep: Int

    static let fields = ["name", "individual.occupation", "individual.employer"]
}

/// A generated history: its cast and its operations.
struct HistoryProgram: Sendable, CustomStringConvertible {
    var seed: UInt64
    var cast: HistoryCast
    var ops: [HistoryOp]

    static func generate(seed: UInt64, operations: Int) -> HistoryProgram {
        var random = SeededRandom(seed: seed)
        var deviceStaff = [0, 0, 1, 2]
        if Bool.random(using: &random) { deviceStaff.append(1) }
        if Bool.random(using: &random) { deviceStaff.append(2) }
        let cast = HistoryCast(deviceStaff: deviceStaff, customersPerRep: 2)
        var ops: [HistoryOp] = deviceStaff.indices.map { .sync(device: $0, faults: []) }
        var revoked = false
        for n in 0..<operations {
            let device = Int.random(in: 0..<deviceStaff.count, using: &random)
            let roll = Int.random(in: 0..<100, using: &random)
            switch roll {
            case 0..<48:
                let field = HistoryCast.fields[Int.random(in: 0..<HistoryCast.fields.count, using: &random)]
                ops.append(
                    .edit(
                        device: device, slot: Int.random(in: 0..<8, using: &random), field: field,
                        value: "d\(device)-op\(n)"))
            case 48..<86:
                let faults = (0..<4).map { _ in
                    Int.random(in: 0..<100, using: &random) < 30
                        ? [FaultProxy.Fault.dropRequest, .dropResponse, .truncateResponse][
                            Int.random(in: 0..<3, using: &random)]
                        : FaultProxy.Fault.none
                }
                ops.append(.sync(device: device, faults: faults))
            case 86..<91:
                ops.append(.restart)
            case 91..<97:
                ops.append(
                    .reassign(slot: Int.random(in: 0..<8, using: &random), toRep: Int.random(in: 0...1, using: &random))
                )
            default:
                if !revoked {
                    revoked = true
                    ops.append(.revoke(device: device))
                }
            }
        }
        return HistoryProgram(seed: seed, cast: cast, ops: ops)
    }

    var description: String {
        let devices = cast.deviceStaff.enumerated().map { "d\($0.offset)=\(["rep0", "rep1", "manager"][$0.element])" }
        return "seed \(seed); devices \(devices.joined(separator: " ")); \(ops.count) operations:\n"
            + ops.enumerated().map { "  \($0.offset). \($0.element)" }.joined(separator: "\n")
    }
}
