/// Float literals of the text format, written from IEEE bit patterns so that every value parses back to the same
/// bits: `inf` and `-inf`; `nan` (the canonical NaN: only the quiet bit set) or `nan:0x...` with its payload, with
/// a `-` for a set sign bit; finite values as hexadecimal floats, `0x1.8p+1`, `-0x0p+0`.
///
/// Hexadecimal is exact by construction (the significand's bits are written as they are, the exponent is a power
/// of two), so reading a literal back needs no rounding at all; a decimal form would lean on the reader rounding
/// correctly. Subnormals are written normalized (`0x1p-149`, not `0x0.000002p-126`): the same value, shorter.
enum FloatText {
  /// The literal of the f32 whose bits are `bits`.
  static func f32(_ bits: UInt32) -> String {
    literal(UInt64(bits), exponentBits: 8, fractionBits: 23)
  }

  /// The literal of the f64 whose bits are `bits`.
  static func f64(_ bits: UInt64) -> String {
    literal(bits, exponentBits: 11, fractionBits: 52)
  }

  /// One IEEE binary format: a sign bit, then `exponentBits` of biased exponent, then `fractionBits` of fraction.
  static func literal(_ bits: UInt64, exponentBits: Int, fractionBits: Int) -> String {
    let fractionMask: UInt64 = (1 << UInt64(fractionBits)) - 1
    let exponentMax: UInt64 = (1 << UInt64(exponentBits)) - 1
    let negative = bits >> UInt64(exponentBits + fractionBits) & 1 != 0
    let biasedExponent = bits >> UInt64(fractionBits) & exponentMax
    var fraction = bits & fractionMask
    let sign = negative ? "-" : ""

    if biasedExponent == exponentMax {
      if fraction == 0 { return sign + "inf" }
      // The canonical NaN is the one with only the top (quiet) bit of the fraction set.
      if fraction == 1 << UInt64(fractionBits - 1) { return sign + "nan" }
      return sign + "nan:0x" + String(fraction, radix: 16)
    }
    if biasedExponent == 0 && fraction == 0 { return sign + "0x0p+0" }

    let bias = (1 << (exponentBits - 1)) - 1
    var exponent: Int
    if biasedExponent == 0 {
      // Subnormal: fraction * 2^(1 - bias - fractionBits). Shift the leading 1 up to the implicit bit's place
      // (just above the fraction) and lower the exponent by as much.
      let shift = fraction.leadingZeroBitCount - (64 - fractionBits) + 1
      fraction = (fraction << UInt64(shift)) & fractionMask
      exponent = 1 - bias - shift
    } else {
      exponent = Int(biasedExponent) - bias
    }

    // The fraction in whole hex digits (23 bits are padded to 24 on the right), trailing zeros dropped.
    let digitCount = (fractionBits + 3) / 4
    let padded = fraction << UInt64(digitCount * 4 - fractionBits)
    var digits = String(padded, radix: 16)
    digits = String(repeating: "0", count: digitCount - digits.count) + digits
    while digits.last == "0" { digits.removeLast() }

    let exponentText = exponent < 0 ? "\(exponent)" : "+\(exponent)"
    return sign + "0x1" + (digits.isEmpty ? "" : "." + digits) + "p" + exponentText
  }
}
