/// A float as `wasmtime run --invoke` prints it (Rust's `Display`): the shortest digits that read back as the same
/// value, written out in full without an exponent, no `.0` on integers (`3`, `0.1`, `-0`, `1e21` as
/// `1000000000000000000000`), `NaN`, `inf` and `-inf`.
func wasmtimeFloatText<F: BinaryFloatingPoint & CustomStringConvertible>(_ x: F) -> String {
  if x.isNaN { return "NaN" }
  if x.isInfinite { return x < 0 ? "-inf" : "inf" }
  // Swift's description has the shortest round-trip digits too, as "6.0", "0.1", "1e+100" or "1.5e-07".
  var text = Substring(x.description)
  let negative = text.first == "-"
  if negative { text = text.dropFirst() }
  var exponent = 0
  if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
    exponent = Int(text[text.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
    text = text[..<e]
  }
  let point = text.firstIndex(of: ".")
  var digits = String(text.filter { $0 != "." })
  var integerCount = (point.map { text.distance(from: text.startIndex, to: $0) } ?? text.count) + exponent
  // Strip leading zeros (keeping one digit), then place the decimal point.
  while digits.count > 1, digits.first == "0" {
    digits.removeFirst()
    integerCount -= 1
  }
  var result: String
  if integerCount <= 0 {
    result = "0." + String(repeating: "0", count: -integerCount) + digits
  } else if integerCount >= digits.count {
    result = digits + String(repeating: "0", count: integerCount - digits.count)
  } else {
    let split = digits.index(digits.startIndex, offsetBy: integerCount)
    result = digits[..<split] + "." + digits[split...]
  }
  // No trailing zeros after the point, and no point without digits after it.
  if result.contains(".") {
    while result.last == "0" { result.removeLast() }
    if result.last == "." { result.removeLast() }
  }
  if result.isEmpty { result = "0" }
  return (negative ? "-" : "") + result
}

private extension Substring {
  func replacingOccurrences(of target: String, with replacement: String) -> String {
    String(self).split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
