/// A module of `count` exported functions `f0`, `f1`, ... of type () -> i32, each a chain of `steps` additions on
/// a local (long enough that the translated code spans many cache groups), and, when `startCalls` is given, an
/// exported `_start` that calls those functions in that order and drops their results.
public func manyFunctionsModule(count: Int, steps: Int, startCalls: [Int]? = nil) -> [UInt8] {
  func section(_ id: UInt8, _ body: [UInt8]) -> [UInt8] { [id] + uleb(body.count) + body }
  func name(_ text: String) -> [UInt8] { uleb(text.utf8.count) + Array(text.utf8) }
  let total = count + (startCalls == nil ? 0 : 1)
  var exports: [UInt8] = uleb(total), codes: [UInt8] = uleb(total)
  for i in 0..<count {
    exports += name("f\(i)") + [0x00] + uleb(i)
    // (local i32) local.set 0 = i; then `steps` times: local.get 0, i32.const k, i32.add, local.set 0
    var body: [UInt8] = [0x01, 0x01, 0x7F, 0x41] + sleb(Int64(i)) + [0x21, 0x00]
    for k in 1...steps { body += [0x20, 0x00, 0x41] + sleb(Int64(k)) + [0x6A, 0x21, 0x00] }
    body += [0x20, 0x00, 0x0B]
    codes += uleb(body.count) + body
  }
  var types: [UInt8] = [0x01, 0x60, 0x00, 0x01, 0x7F]  // type 0: () -> i32
  var functions = uleb(total) + [UInt8](repeating: 0, count: count)
  if let startCalls {
    types = [0x02, 0x60, 0x00, 0x01, 0x7F, 0x60, 0x00, 0x00]  // type 1: () -> ()
    functions += [0x01]
    exports += name("_start") + [0x00] + uleb(count)
    var body: [UInt8] = [0x00]
    for f in startCalls { body += [0x10] + uleb(f) + [0x1A] }  // call f, drop
    body += [0x0B]
    codes += uleb(body.count) + body
  }
  return [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
    + section(1, types) + section(3, functions) + section(7, exports) + section(10, codes)
}
