import SwasmBytecode
import WasmBinary

/// Collects a function's exception handlers while it is translated, and encodes them as its `handler_table`
/// (SwasmBytecode/HandlerTable.swift).
///
/// A scope is the set of handlers covering a stretch of code: a `try_table`'s clauses or a legacy `try`'s catches,
/// tried in order, then those of the enclosing scope (its `parent`). A legacy `try ... delegate l` covers its body
/// with the scope around label `l` instead (`delegate`). Scope 0 is none: exceptions leave the function. Segments
/// record which scope covers the code from each position on, as the translator emits it.
struct HandlerTableBuilder {
  struct Clause {
    /// A tag index, or `HandlerTable.anyTag`.
    var tag: UInt32
    /// Where it lands (a code position of the body; set when known).
    var target = -1
    /// Registers as the translator numbers them (relocated at the end): the payload's first slot, and where the
    /// exception goes (nil: not kept).
    var destination: Reg
    var exception: Reg?
  }

  struct Scope {
    var parent: Int
    var clauses: [Clause] = []
    var delegate: Int?
  }

  var scopes = [Scope(parent: 0)]
  var segments: [(start: Int, scope: Int)] = []

  var isEmpty: Bool { !scopes.contains { !$0.clauses.isEmpty } }

  mutating func newScope(parent: Int) -> Int {
    scopes.append(Scope(parent: parent))
    return scopes.count - 1
  }

  /// From code position `at` on, `scope` covers the code.
  mutating func enter(_ scope: Int, at: Int) {
    if let last = segments.last, last.start == at {
      segments[segments.count - 1].scope = scope
    } else if segments.last?.scope != scope {
      segments.append((at, scope))
    }
  }

  /// Every clause's landing position, for the translator's list of branch targets.
  var targets: [Int] { scopes.flatMap { $0.clauses.map(\.target) } }

  /// The table's words, positions shifted by `offset` (where the body starts, counted from the table's header)
  /// and registers mapped by `register`.
  func encode(offset: (Int) -> Int, register: (Reg) -> UInt32) -> [UInt64] {
    // Nodes of later scopes first: a scope's parent, and the scope a delegate goes to, enclose it and so were
    // created before it; their nodes come after its own, and every `next` points forward.
    var firstNode = [Int](repeating: 0, count: scopes.count)
    var count = 0
    for s in scopes.indices.reversed() {
      firstNode[s] = count
      count += scopes[s].clauses.count
    }
    func head(_ s: Int) -> Int? {
      if s == 0 { return nil }
      if let target = scopes[s].delegate { return head(target) }
      return scopes[s].clauses.isEmpty ? head(scopes[s].parent) : firstNode[s]
    }
    var nodes: [HandlerTable.Node] = []
    for s in scopes.indices.reversed() {
      for (k, clause) in scopes[s].clauses.enumerated() {
        let next = k + 1 < scopes[s].clauses.count ? firstNode[s] + k + 1 : head(scopes[s].parent)
        nodes.append(HandlerTable.Node(next: next, tag: clause.tag, target: offset(clause.target),
                                       destination: register(clause.destination),
                                       exception: clause.exception.map(register) ?? HandlerTable.none))
      }
    }
    let tableSegments = segments.map { (start: offset($0.start), head: head($0.scope)) }
    return HandlerTable.encode(segments: tableSegments, nodes: nodes)
  }

  /// Slots the encoded table takes (header included).
  var encodedSize: Int { 3 + segments.count + 3 * scopes.reduce(0) { $0 + $1.clauses.count } }
}
