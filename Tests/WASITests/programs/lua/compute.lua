-- CPU-bound work with a checksum: recursion, tables, strings, floating point. arg[1] scales the work.
local scale = tonumber(arg[1]) or 10
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local t = {}
for i = 1, scale * 10000 do t[i] = (i * 7919) % 100003 end
table.sort(t)
local parts = {}
for i = 1, scale * 1000 do parts[#parts + 1] = string.format("%x", t[i * 10] or i) end
local s = table.concat(parts, ",")
local acc = 0.0
for i = 1, scale * 15000 do acc = acc + math.sin(i) * math.sqrt(i) end
print("fib", fib(12 + scale // 2), "sorted", t[1], t[#t], "string", #s, s:sub(1, 20), string.format("float %.6f", acc))
