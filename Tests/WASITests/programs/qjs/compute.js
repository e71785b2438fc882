// CPU-bound work with a checksum: recursion, closures, arrays, objects, strings, regular expressions and floating
// point. scriptArgs[0] scales the work.
const scale = Number(scriptArgs[0] || 10);
const fib = n => (n < 2 ? n : fib(n - 1) + fib(n - 2));
const values = Array.from({ length: scale * 10000 }, (_, i) => (i * 7919) % 100003).sort((a, b) => a - b);
const objects = values.slice(0, scale * 2000).map((v, i) => ({ id: i, key: "k" + v.toString(36), v }));
const byKey = {};
for (const o of objects) byKey[o.key] = (byKey[o.key] || 0) + o.v;
const text = objects.map(o => o.key).join(";");
const matches = (text.match(/k[0-9]+[a-z]/g) || []).length;
let acc = 0;
for (let i = 1; i <= scale * 15000; i++) acc += Math.sin(i) * Math.sqrt(i);
print("fib", fib(12 + Math.floor(scale / 2)), "sorted", values[0], values[values.length - 1], "keys",
      Object.keys(byKey).length, "text", text.length, "matches", matches, "float", acc.toFixed(6));
