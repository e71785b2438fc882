-- Reads a text file from the preopened folder, counts words, writes a report, renames and removes files.
local counts, order = {}, {}
for line in io.lines("/data/words.txt") do
  for word in line:gmatch("%a+") do
    if not counts[word] then counts[word] = 0; order[#order + 1] = word end
    counts[word] = counts[word] + 1
  end
end
table.sort(order, function(a, b) if counts[a] ~= counts[b] then return counts[a] > counts[b] end return a < b end)
local report = assert(io.open("/data/report.txt", "w"))
for i = 1, 5 do report:write(string.format("%-8s %d\n", order[i], counts[order[i]])) end
report:close()
assert(os.rename("/data/report.txt", "/data/report-final.txt"))
local f = assert(io.open("/data/report-final.txt"))
io.write(f:read("a"))
f:close()
local scratch = assert(io.open("/data/scratch.tmp", "w")); scratch:write("x"); scratch:close()
assert(os.remove("/data/scratch.tmp"))
print("scratch removed:", io.open("/data/scratch.tmp") == nil)
print("args:", #arg, arg[1], arg[2])
print("GREETING:", os.getenv("GREETING"), "MISSING:", os.getenv("MISSING"))
