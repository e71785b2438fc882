/// v128 values in frame slots, for the SIMD handler bodies (tools/isa/simd.py): a v128 takes two consecutive
/// 8-byte-aligned slots, low half first, and is read and written as one 16-byte vector of whichever lane shape an
/// instruction works on. Unaligned 16-byte loads and stores (movdqu, ldr q) cost the same as aligned ones.

typealias I8x16 = SIMD16<Int8>
typealias U8x16 = SIMD16<UInt8>
typealias I16x8 = SIMD8<Int16>
typealias U16x8 = SIMD8<UInt16>
typealias I32x4 = SIMD4<Int32>
typealias U32x4 = SIMD4<UInt32>
typealias I64x2 = SIMD2<Int64>
typealias U64x2 = SIMD2<UInt64>
typealias F32x4 = SIMD4<Float>
typealias F64x2 = SIMD2<Double>

extension UnsafeMutablePointer where Pointee == UInt64 {
  /// The v128 in slots `r` and `r + 1`, as lanes of `shape`.
  @inline(__always) func v<V: SIMD>(_ r: Int, _ shape: V.Type) -> V {
    UnsafeRawPointer(self + r).loadUnaligned(as: V.self)
  }

  /// Writes a 16-byte vector to slots `r` and `r + 1`.
  @inline(__always) func setV<V: SIMD>(_ r: Int, _ value: V) {
    UnsafeMutableRawPointer(self + r).storeBytes(of: value, as: V.self)
  }
}

/// A comparison's lanes: all ones where it holds, zero elsewhere (Wasm's SIMD comparison results).
@inline(__always) func allOnes<M: SIMD>(_ mask: SIMDMask<M>) -> M
where M.Scalar: FixedWidthInteger & SignedInteger, M.MaskStorage == M {
  M(repeating: 0).replacing(with: -1, where: mask)
}
