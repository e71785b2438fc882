import CZstd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// libzstd, one frame at a time.
public enum Zstd {
  /// Compression level of precompiled bundles' code (`swasm compile --level` chooses another). On CPython's
  /// bytecode (zstd's benchmark, 32 KiB blocks) level 9 compresses at 45-50 MB/s to 7.0x, level 12 at 11 MB/s to
  /// 7.2x, level 19 at 1.2 MB/s to 7.5x, and all decode at 0.85-1.15 GB/s: at level 19 `swasm compile` of
  /// python.wasm took 69 s (94% of it in zstd) for a file 6% smaller. Cache entries written on a miss use a
  /// faster level (`TranslationCache`). Declarations take `declarationsFrame`.
  public static let defaultLevel: Int32 = 9
  /// The highest level libzstd offers (22).
  public static var maxLevel: Int32 { ZSTD_maxCLevel() }
  /// Level of every module's declarations that are compressed (see `declarationsFrame`): a fast (negative) level
  /// leaves literals uncompressed, and declarations are mostly data segments, which compress little (QuickJS's
  /// 79 KB: 1.44x at level 3, 1.59x at 19, 1.32x here) but then decode 2.2x to 3.7x faster (1.24 GB/s at level
  /// 3, 0.76 at 19, 2.8 here).
  public static let declarationsLevel: Int32 = -1

  /// The frame of a module's declarations, which every load decodes: compressed at `declarationsLevel` when that
  /// makes them at least 4x smaller (large zero-filled data segments), stored otherwise (a frame of raw blocks,
  /// which zstd decodes by copying). Decoding QuickJS's 79 KB compressed at 1.32x cost every load 410K
  /// instructions, a sixth of loading the module (stored, its entry is 19 KB larger); the Rust programs' 25 KB,
  /// compressed at 2.1x, 164K instructions, a fifth (stored, 13 KB larger).
  static func declarationsFrame(_ input: UnsafeRawBufferPointer) -> [UInt8] {
    let compressed = compress(input, level: declarationsLevel)
    return 4 * compressed.count <= input.count ? compressed : storedFrame(input)
  }

  /// A zstd frame holding `input` uncompressed: the frame header (single segment, content size given, no
  /// checksum), then raw blocks of at most 128 KiB (RFC 8878, sections 3.1.1.1 and 3.1.1.2).
  static func storedFrame(_ input: UnsafeRawBufferPointer) -> [UInt8] {
    var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]  // magic number 0xFD2FB528, little-endian
    let size = UInt64(input.count)
    // Frame header descriptor: single segment (bit 5), and the content size's field size in bits 6-7: 1, 2 (the
    // size minus 256), 4 or 8 bytes.
    let (flag, field): (UInt8, [UInt8]) =
      size < 256 ? (0, [UInt8(size)])
      : size < 65536 + 256 ? (1, littleEndianBytes(size - 256, count: 2))
      : size <= UInt64(UInt32.max) ? (2, littleEndianBytes(size, count: 4))
      : (3, littleEndianBytes(size, count: 8))
    frame.append(flag << 6 | 1 << 5)
    frame += field
    let blockLimit = 128 * 1024
    var at = 0
    repeat {
      let count = min(blockLimit, input.count - at)
      let last: UInt32 = at + count == input.count ? 1 : 0
      frame += littleEndianBytes(UInt64(UInt32(count) << 3 | last), count: 3)  // block type 0: raw
      frame += UnsafeRawBufferPointer(rebasing: input[at..<(at + count)])
      at += count
    } while at < input.count
    return frame
  }

  private static func littleEndianBytes(_ value: UInt64, count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
  }

  static func compress(_ input: UnsafeRawBufferPointer, level: Int32) -> [UInt8] {
    let bound = ZSTD_compressBound(input.count)
    // Not zero-filled: the pages past the frame's end are never touched (the bound of a 74 MB input is 74 MB).
    return [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
      let out = UnsafeMutableRawBufferPointer(buffer)
      let written = input.count >= parallelInputSize
        ? compressOnEveryCore(input, into: out, level: level)
        : ZSTD_compress(out.baseAddress, bound, input.baseAddress, input.count, level)
      precondition(ZSTD_isError(written) == 0, "zstd compression failed")
      initialized = written
    }
  }

  /// Inputs from this size are compressed by zstd's worker threads, one per core: a 100 MB module's code section
  /// (74 MB) took 0.5 s on one.
  static let parallelInputSize = 8 << 20

  /// One frame, compressed by as many zstd workers as there are cores (by one thread when libzstd has no workers).
  private static func compressOnEveryCore(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                                          level: Int32) -> Int {
    guard let context = ZSTD_createCCtx() else { return -1 }  // (size_t)-1: an error code, which the caller refuses
    defer { ZSTD_freeCCtx(context) }
    _ = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
    _ = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(min(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 8)))
    return ZSTD_compress2(context, output.baseAddress, output.count, input.baseAddress, input.count)
  }

  /// A decompression context kept for many frames: `ZSTD_decompress` sets one up (and allocates its tables) on
  /// every call, which cost a cached launch more than decoding the frames. Not thread-safe.
  final class Decoder {
    private let context: OpaquePointer?  // nil when libzstd could not allocate it: every frame then fails

    init() { context = Self.recycledContext() ?? ZSTD_createDCtx() }
    deinit {
      guard let context else { return }
      if !Self.recycle(context) { ZSTD_freeDCtx(context) }
    }

    /// Contexts of decoders that are gone, for the next ones: a context is a 96 KB allocation whose first
    /// stores (fresh memory) cost a process that loads modules again and again about 3% of each load (perf).
    /// Kept as addresses (pointers are not Sendable); at most `poolLimit` of them.
    private static let pool = Mutex<[UInt]>([])
    private static let poolLimit = 4

    private static func recycledContext() -> OpaquePointer? {
      pool.withLock { $0.popLast() }.flatMap { OpaquePointer(bitPattern: $0) }
    }

    /// Keeps `context` for a later decoder; false when the pool is full. (Each frame is decoded with
    /// `ZSTD_decompressDCtx`, which starts a new session, and no parameter is ever set: nothing carries over.)
    private static func recycle(_ context: OpaquePointer) -> Bool {
      pool.withLock { pool in
        guard pool.count < poolLimit else { return false }
        pool.append(UInt(bitPattern: context))
        return true
      }
    }

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
