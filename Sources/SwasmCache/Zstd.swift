import CZstd

/// libzstd, one frame at a time.
public enum Zstd {
  /// Compression level of precompiled bundles' code: decoding the bytecode gets no slower at high levels (zstd -b:
  /// 0.95 GB/s at level 3, 1.3 at 12, 1.2 at 19), so `swasm compile` spends time once for smaller files. Cache
  /// entries written on a miss use a faster level (`TranslationCache`). Declarations take `declarationsLevel`.
  public static let defaultLevel: Int32 = 19
  /// Level of every module's declarations, whatever the file: a fast (negative) level leaves literals
  /// uncompressed, and declarations are mostly data segments, which compress little (QuickJS's 79 KB: 1.44x at
  /// level 3, 1.59x at 19, 1.32x here) but then decode 2.2x to 3.7x faster (1.24 GB/s at level 3, 0.76 at 19, 2.8
  /// here); every load decodes them. A bundle is a few KB larger for it.
  public static let declarationsLevel: Int32 = -1

  static func compress(_ input: UnsafeRawBufferPointer, level: Int32) -> [UInt8] {
    let bound = ZSTD_compressBound(input.count)
    var output = [UInt8](repeating: 0, count: bound)
    let written = output.withUnsafeMutableBytes {
      ZSTD_compress($0.baseAddress, bound, input.baseAddress, input.count, level)
    }
    precondition(ZSTD_isError(written) == 0, "zstd compression failed")
    output.removeSubrange(written...)
    return output
  }

  /// A decompression context kept for many frames: `ZSTD_decompress` sets one up (and allocates its tables) on
  /// every call, which cost a cached launch more than decoding the frames. Not thread-safe.
  final class Decoder {
    private let context: OpaquePointer?  // nil when libzstd could not allocate it: every frame then fails

    init() { context = ZSTD_createDCtx() }
    deinit { if let context { ZSTD_freeDCtx(context) } }

    /// Decompresses one frame whose content is exactly `output.count` bytes into `output`; false when the frame
    /// is damaged or of another size.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
      guard input.count > 0 else { return output.count == 0 }
      guard let context else { return false }
      let size = ZSTD_getFrameContentSize(input.baseAddress, input.count)
      guard size == UInt64(output.count) else { return false }
      let written = ZSTD_decompressDCtx(context, output.baseAddress, output.count, input.baseAddress, input.count)
      return ZSTD_isError(written) == 0 && written == output.count
    }
  }
}

extension Zstd {
  /// The linked libzstd's version, e.g. "1.5.4".
  public static var libraryVersion: String { String(cString: ZSTD_versionString()) }
}
