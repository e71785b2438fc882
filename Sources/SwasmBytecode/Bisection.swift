/// The first index of `0..<count` where `isBefore` is false, for a table sorted so that `isBefore` holds for a
/// prefix of it and fails after: where a key is, or would be inserted. (The store's sorted tables use it in place
/// of dictionaries, whose first use costs a start-up a scan of every protocol conformance; the translator and the
/// cache's verifier to find instructions among a function's sorted starts.)
@inlinable
public func partitionPoint(_ count: Int, _ isBefore: (Int) -> Bool) -> Int {
  var low = 0, high = count
  while low < high {
    let middle = (low + high) / 2
    if isBefore(middle) { low = middle + 1 } else { high = middle }
  }
  return low
}

/// The last index of `sorted` (ascending) whose element is at most `value`, or `startIndex - 1` for none: the
/// instruction containing slot `value` when `sorted` holds a function's instruction starts.
@inlinable
public func lastIndex<Sorted: RandomAccessCollection>(in sorted: Sorted, atOrBelow value: Int) -> Int
where Sorted.Element == Int, Sorted.Index == Int {
  sorted.startIndex + partitionPoint(sorted.count) { sorted[sorted.startIndex + $0] <= value } - 1
}
