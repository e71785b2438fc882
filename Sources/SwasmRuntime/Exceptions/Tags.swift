import WasmBinary

/// An exception tag of a store. Its address is its identity: a tag imported by another module is the same entry,
/// and `catch` compares entries.
struct TagEntry {
  /// The tag's function type, as a store-wide type id (parameters: the payload; no results).
  var typeID: Int
  /// Frame slots the payload takes (two per v128).
  var payloadSlots: Int
  /// Index into the store's tag names, for messages.
  var nameIndex: Int
}

/// An exception tag: defined by a module (and exported), or created by the host (`Store.createTag`). Exceptions
/// carry their tag; handlers catch by tag, and two tags are the same only if they are one tag.
public struct Tag: Hashable, @unchecked Sendable {
  let store: Store
  let entry: UnsafeMutablePointer<TagEntry>
  /// The payload's types: the parameters of the tag's function type (which has no results).
  public let type: FuncType

  /// Whether `a` and `b` are one tag (tags of equal types are still different tags).
  public static func == (a: Tag, b: Tag) -> Bool { a.entry == b.entry }
  /// Hashes the tag's identity.
  public func hash(into hasher: inout Hasher) { hasher.combine(entry) }

  /// The tag's name for messages: the name given to `createTag`, or the name its defining module exports it
  /// under, else `tag[INDEX]`. (Copied when the value is made, on its store's thread: a `Tag` travels with a
  /// `WasmException` to other threads, which must not read the store.)
  public let name: String
}

extension Store {
  /// A new tag whose exceptions carry values of `parameters`, for host functions to throw and catch (see
  /// `WasmException`) and for modules to import.
  public func createTag(parameters: [ValueType], name: String = "host tag") -> Tag {
    tag(newTagEntry(typeID: typeID(FuncType(params: parameters, results: [])), name: name))
  }

  /// A new tag of the function type with store id `typeID`.
  func newTagEntry(typeID: Int, name: String) -> UnsafeMutablePointer<TagEntry> {
    let entry = allocate(TagEntry.self, 1)
    tagNames.append(name)
    let payloadSlots = types.functionType(typeID).params.slotCount
    entry.initialize(to: TagEntry(typeID: typeID, payloadSlots: payloadSlots, nameIndex: tagNames.count - 1))
    return entry
  }

  func tag(_ entry: UnsafeMutablePointer<TagEntry>) -> Tag {
    Tag(store: self, entry: entry, type: types.functionType(entry.pointee.typeID), name: tagNames[entry.pointee.nameIndex])
  }

  /// A name for tag `index` of `module`: an export's, else its index.
  func tagName(_ index: Int, of module: Module) -> String {
    if let export = module.exports.first(where: { $0.kind == .tag && Int($0.index) == index }) { return export.name }
    return "tag[\(index)]"
  }
}
