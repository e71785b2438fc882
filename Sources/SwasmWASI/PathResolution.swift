#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves guest paths beneath a directory descriptor without ever leaving it: the path is walked one component
/// at a time with `openat(O_NOFOLLOW)`, symbolic links are expanded here (an absolute target, or `..` above the
/// starting directory, is refused), so neither `..`, nor a symlink, nor a directory swapped for a symlink while
/// we walk can reach outside.
/// (`@_spi(Fuzzing)`: the fuzz target of path resolution, tools/fuzz/targets, checks it never leaves its base.)
@_spi(Fuzzing) public struct ResolvedPath {
  /// The directory holding the final component (owned by the caller: close it).
  public let parent: Int32
  /// The final component ("." when the path names the directory itself).
  public let name: String
  /// The path ended with "/": the final component must be a directory.
  public let trailingSlash: Bool
}

@_spi(Fuzzing) public enum PathResolver {
  static let maxSymlinkExpansions = 40

  /// `followFinal`: expand the final component if it is a symlink.
  public static func resolve(_ path: String, beneath base: Int32, followFinal: Bool) throws -> ResolvedPath {
    if path.isEmpty { throw Errno.noent }
    if path.utf8.contains(0) { throw Errno.ilseq }
    if path.hasPrefix("/") { throw Errno.perm }
    var pending = Array(path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed())
    var trailingSlash = path.hasSuffix("/")
    // Directories walked so far, innermost last; the first is a duplicate of `base`.
    var stack: [Int32] = [dup(base)]
    guard stack[0] >= 0 else { throw Errno.last }
    func closeAll() { for fd in stack { close(fd) } }
    var expansions = 0

    while let component = pending.popLast() {
      let isFinal = pending.isEmpty
      switch component {
      case ".":
        if isFinal { return finish(&stack, ".", trailingSlash) }
        continue
      case "..":
        guard stack.count > 1 else {
          closeAll()
          throw Errno.perm
        }
        close(stack.removeLast())
        if isFinal { return finish(&stack, ".", trailingSlash) }
        continue
      default:
        break
      }
      let current = stack[stack.count - 1]
      if isFinal && !followFinal && !trailingSlash { return finish(&stack, component, false) }
      // Is it a symlink? Expand it in place of the component.
      if let target = readLink(current, component) {
        expansions += 1
        guard expansions <= maxSymlinkExpansions else {
          closeAll()
          throw Errno.loop
        }
        if target.hasPrefix("/") {
          closeAll()
          throw Errno.perm
        }
        if target.hasSuffix("/") && isFinal { trailingSlash = true }
        pending.append(contentsOf: target.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed())
        if pending.isEmpty { return finish(&stack, ".", trailingSlash) }
        continue
      }
      if isFinal { return finish(&stack, component, trailingSlash) }
      let next = openat(current, component, oPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0)
      if next < 0 {
        let error = Errno.last
        closeAll()
        throw error
      }
      stack.append(next)
    }
    return finish(&stack, ".", trailingSlash)
  }

  private static func finish(_ stack: inout [Int32], _ name: String, _ trailingSlash: Bool) -> ResolvedPath {
    let parent = stack.removeLast()
    for fd in stack { close(fd) }
    return ResolvedPath(parent: parent, name: name, trailingSlash: trailingSlash)
  }

  /// The target of `name` in `dir` if it is a symbolic link.
  static func readLink(_ dir: Int32, _ name: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4097)
    let n = readlinkat(dir, name, &buffer, 4096)
    guard n >= 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
