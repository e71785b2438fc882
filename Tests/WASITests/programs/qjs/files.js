// Reads a text file from the preopened folder, counts words with a regular expression, sorts them, writes a
// JSON report next to it and reads it back.
const counts = new Map();
for (const word of readFile("/data/words.txt").match(/[A-Za-z]+/g)) counts.set(word, (counts.get(word) || 0) + 1);
const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
writeFile("/data/report.json", JSON.stringify({ top, distinct: counts.size }, null, 2));
const report = JSON.parse(readFile("/data/report.json"));
for (const [word, n] of report.top) print(word.padEnd(8), n);
print("distinct:", report.distinct, "args:", scriptArgs.length, scriptArgs.join(" "));
let missing;
try { readFile("/data/missing.txt"); } catch (e) { missing = e.message; }
print("missing file:", missing);
