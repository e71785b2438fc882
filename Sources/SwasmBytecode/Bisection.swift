/// The first index of `0..<count` where `isBefore` is false, for a table sorted so that `isBefore` holds for a
/// prefix of it and fails after: where a key is, or would be inserted. (The store's sorted tables use it in place
/// of dictionaries, whose first use costs a start-up a scan of every protocol conformance.)
func partitionPoint(_ count: Int, _ isBefore: (Int) -> Bool) -> Int {
  var low = 0, high = count
  while low < high {
    let middle = (low + high) / 2
    if isBefore(middle) { low = middle + 1 } else { high = middle }
  }
  return low
}
