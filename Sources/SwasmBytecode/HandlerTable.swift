/// The exception handlers of a function, as its code carries them: a `handler_table` instruction at the start of
/// the code, never executed (a function's entry lies after it), searched only when something is thrown. Entering or
/// leaving a `try_table` or a legacy `try` runs no instruction.
///
/// The instruction's operand slot holds the number of slots that follow. Those are, each a 64-bit word:
/// - `segmentCount | nodeCount << 32`;
/// - `segmentCount` segments, by increasing code position: `start | (head + 1) << 32`. From `start` (an offset
///   from the table's header, as every position here) up to the next segment's start, or the end of the code,
///   thrown exceptions go to handler node `head` first (head + 1 = 0: to none; they leave the function);
/// - `nodeCount` handler nodes of three words: `next + 1` (the node tried after this one; 0: none, the exception
///   leaves the function), `tag | target << 32`, `destination | exception << 32`. A node catches the exceptions of
///   `tag` (an index into the module's tags; `HandlerTable.anyTag`: every exception), writes their payload to the
///   frame slots from `destination` on (one slot per value, two per v128), the exception itself (an `exnref`) to
///   slot `exception` (`HandlerTable.none`: not kept) and continues at `target`. A node's `next` is always a
///   later node, so every chain ends.
/// Built by the translator (HandlerTableBuilder); the cache's verifier checks all of it.
public struct HandlerTable {
  public static let anyTag: UInt32 = 0xFFFF_FFFF
  public static let none: UInt32 = 0xFFFF_FFFF

  public struct Node: Equatable, Sendable {
    /// The node tried next; nil: none.
    public var next: Int?
    public var tag: UInt32
    /// Code offset from the table's header.
    public var target: Int
    public var destination: UInt32
    public var exception: UInt32

    public init(next: Int?, tag: UInt32, target: Int, destination: UInt32, exception: UInt32) {
      self.next = next
      self.tag = tag
      self.target = target
      self.destination = destination
      self.exception = exception
    }
  }

  /// The table's header slot; its trailing slots follow `header[1]`.
  public let header: UnsafePointer<UInt64>
  public let segmentCount: Int
  public let nodeCount: Int

  /// The table of the instruction at `header`, whose size was checked (`wellFormed`) or which the translator wrote.
  @inlinable
  public init(header: UnsafePointer<UInt64>) {
    self.header = header
    segmentCount = Int(header[2] & 0xFFFF_FFFF)
    nodeCount = Int(header[2] >> 32)
  }

  /// Whether the trailing slots of the table at `header` hold exactly what its counts say (for untrusted code).
  public static func wellFormed(header: UnsafePointer<UInt64>, trailingSlots: Int) -> Bool {
    guard trailingSlots >= 1 else { return false }
    let segments = Int(header[2] & 0xFFFF_FFFF), nodes = Int(header[2] >> 32)
    return trailingSlots == 1 + segments + 3 * nodes
  }

  public func segmentStart(_ i: Int) -> Int { Int(header[3 + i] & 0xFFFF_FFFF) }
  /// The first node of segment `i`, or nil.
  public func segmentHead(_ i: Int) -> Int? {
    let head = Int(header[3 + i] >> 32)
    return head == 0 ? nil : head - 1
  }

  @inlinable
  public func node(_ i: Int) -> Node {
    let words = header + 3 + segmentCount + 3 * i
    let next = Int(words[0] & 0xFFFF_FFFF)
    return Node(next: next == 0 ? nil : next - 1, tag: UInt32(truncatingIfNeeded: words[1]), target: Int(words[1] >> 32),
                destination: UInt32(truncatingIfNeeded: words[2]), exception: UInt32(truncatingIfNeeded: words[2] >> 32))
  }

  /// The first node for an exception thrown at code offset `offset` (from the header), or nil.
  public func head(at offset: Int) -> Int? {
    // The last segment starting at or before `offset`.
    var low = 0, high = segmentCount
    while low < high {
      let mid = (low + high) / 2
      if segmentStart(mid) <= offset { low = mid + 1 } else { high = mid }
    }
    return low == 0 ? nil : segmentHead(low - 1)
  }

  /// The first handler, in the order an exception thrown at code offset `offset` tries them, for which `matches`
  /// holds; nil when none does.
  @inlinable
  public func firstHandler(at offset: Int, where matches: (Node) -> Bool) -> Node? {
    var next = head(at: offset)
    while let n = next {
      let handler = node(n)
      if matches(handler) { return handler }
      next = handler.next
    }
    return nil
  }

  /// Calls `body` with every handler an exception thrown at code offset `offset` may reach, in order.
  public func forEachHandler(at offset: Int, _ body: (Node) -> Void) {
    _ = firstHandler(at: offset) { body($0); return false }
  }

  /// The words of a table with these segments (`(start, head)`) and nodes, header included, with opcode
  /// `handler_table` in its header slot.
  public static func encode(segments: [(start: Int, head: Int?)], nodes: [Node]) -> [UInt64] {
    var words: [UInt64] = [UInt64(Opcode.handler_table.rawValue), UInt64(1 + segments.count + 3 * nodes.count)]
    words.append(UInt64(segments.count) | UInt64(nodes.count) << 32)
    for segment in segments { words.append(UInt64(segment.start) | UInt64(segment.head.map { $0 + 1 } ?? 0) << 32) }
    for node in nodes {
      words.append(UInt64(node.next.map { $0 + 1 } ?? 0))
      words.append(UInt64(node.tag) | UInt64(node.target) << 32)
      words.append(UInt64(node.destination) | UInt64(node.exception) << 32)
    }
    return words
  }
}
