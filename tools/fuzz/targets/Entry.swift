// Two builds of the same targets (Targets.swift):
// - built with `--sanitize=fuzzer -Xswiftc -DSWASM_LIBFUZZER` (tools/fuzz/libfuzzer.sh), libFuzzer's main drives
//   `LLVMFuzzerTestOneInput`, the target named by $SWASM_FUZZ_TARGET;
// - built plainly (`swift build --product swasm-fuzz-targets`, as the tests do), a replay driver:
//     swasm-fuzz-targets TARGET [--mutations N] [--seed S] FILE...   each file, and N mutations of each
//     swasm-fuzz-targets seeds TARGET FOLDER FILE...                  a seed corpus for TARGET from .wasm files
//   Mutations are deterministic (bit flips, truncations, byte insertions and overwrites, splices), so a failing
//   run is reproducible from its seed.
import Foundation
import Swasm
import SwasmTranslator

#if SWASM_LIBFUZZER
let libFuzzerTarget: FuzzTarget = {
  let name = ProcessInfo.processInfo.environment["SWASM_FUZZ_TARGET"] ?? ""
  guard let target = FuzzTarget(rawValue: name) else {
    fatalError("set SWASM_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
  }
  return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  libFuzzerTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
  return 0
}
#else
@main
struct Replay {
  static func main() {
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "seeds" {
      guard arguments.count >= 3, let target = FuzzTarget(rawValue: arguments[1]) else { usage() }
      writeSeeds(target, folder: arguments[2], files: Array(arguments.dropFirst(3)))
      return
    }
    guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else { usage() }
    arguments.removeFirst()
    var mutations = 0, seed: UInt64 = 1
    while let option = arguments.first, option.hasPrefix("--") {
      arguments.removeFirst()
      guard let value = arguments.first.flatMap({ UInt64($0) }) else { usage() }
      arguments.removeFirst()
      if option == "--mutations" { mutations = Int(value) } else if option == "--seed" { seed = value } else { usage() }
    }
    var random = SplitMix(state: seed), inputs = 0
    let corpus = arguments.compactMap { FileManager.default.contents(atPath: $0).map(Array.init) }
    for original in corpus {
      target.run(original)
      inputs += 1
      for _ in 0..<mutations {
        target.run(mutate(original, corpus: corpus, &random))
        inputs += 1
      }
    }
    print("\(target.rawValue): \(inputs) inputs from \(corpus.count) files, no crash")
  }

  static func usage() -> Never {
    FileHandle.standardError.write(Data("""
      usage: swasm-fuzz-targets TARGET [--mutations N] [--seed S] FILE...
             swasm-fuzz-targets seeds TARGET FOLDER FILE.wasm... (.wast files for wat)
      targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n
      """.utf8))
    exit(2)
  }
}

/// Seed inputs: the modules themselves (decode, translate); their cache files' payloads, after a flags byte
/// (cache); and paths that walk the sandbox's symlinks (path).
func writeSeeds(_ target: FuzzTarget, folder: String, files: [String]) {
  try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  var seeds: [[UInt8]] = []
  switch target {
  case .decode, .translate, .wat:
    seeds = files.compactMap { FileManager.default.contents(atPath: $0).map(Array.init) }
  case .cache:
    for file in files {
      guard let bytes = FileManager.default.contents(atPath: file).map(Array.init), let module = try? Module(bytes: bytes),
            let prepared = try? PreparedModule(module, options: cacheOptions),
            let functions = prepared.translatedFunctions else { continue }
      let encoded = CacheFileWriter.encode(
        members: [CacheMember(name: "m", moduleBytesWithoutCode: module.bytesWithoutCode, functions: functions)],
        fingerprint: cacheFingerprint, key: [UInt8](repeating: 0, count: 32), bundle: false, level: 1)
      seeds.append([0] + encoded.dropFirst(96))
      // The same with every other function left untranslated (the code section kept, in chunks of a few
      // functions, so that the index holds several): translated when verified.
      guard let code = module.codeSection else { continue }
      let partly = CacheFileWriter.encode(
        members: [CacheMember(name: "m", moduleBytesWithoutCode: module.bytesWithoutCode,
                              functions: functions.enumerated().map { $0.offset % 2 == 0 ? $0.element : nil },
                              codeSection: code, codeChunkBytes: 64)],
        fingerprint: cacheFingerprint, key: [UInt8](repeating: 0, count: 32), bundle: false, level: 1)
      seeds.append([0] + partly.dropFirst(96))
    }
  case .path:
    let paths = ["f", "d/e", "ok/../f", "up/inside/f", "out/x", "abs", "loop", "d/back/f", "d/e/deep", "self/self/f",
                 "./d/./e/", "d/e/../../f", "..", "/etc/passwd", "d//e", "ok/deep/../x"]
    seeds = paths.flatMap { [[0] + Array($0.utf8), [1] + Array($0.utf8)] }
  }
  for (i, seed) in seeds.enumerated() {
    FileManager.default.createFile(atPath: "\(folder)/seed-\(i)", contents: Data(seed))
  }
  print("\(seeds.count) seeds for \(target.rawValue) in \(folder)")
}
#endif

/// SplitMix64: a small deterministic generator.
struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}

/// One to four random edits of `input`, or a splice with another corpus file.
func mutate(_ input: [UInt8], corpus: [[UInt8]], _ random: inout SplitMix) -> [UInt8] {
  var bytes = input
  for _ in 0...random.below(4) {
    switch random.below(6) {
    case 0 where !bytes.isEmpty:  // flip a bit
      let i = random.below(bytes.count)
      bytes[i] ^= UInt8(1) << UInt8(random.below(8))
    case 1 where !bytes.isEmpty:  // truncate
      bytes.removeLast(random.below(bytes.count))
    case 2:  // insert a byte
      bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: random.below(bytes.count + 1))
    case 3 where !bytes.isEmpty:  // overwrite with an interesting byte
      bytes[random.below(bytes.count)] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0B, 0x41, 0xFD][random.below(8)]
    case 4 where bytes.count > 1:  // remove a run
      let start = random.below(bytes.count)
      bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.below(16)))
    case 5 where !corpus.isEmpty:  // splice: this one's start with another's end
      let other = corpus[random.below(corpus.count)]
      bytes = Array(bytes.prefix(random.below(bytes.count + 1))) + other.suffix(random.below(other.count + 1))
    default:
      break
    }
  }
  return bytes
}
