-- Lua errors unwind through C's setjmp/longjmp, which the build turns into Wasm exceptions.
local function fail(n)
  if n % 3 == 0 then error("bad " .. n) end
  return n * 2
end
local caught, sum = 0, 0
for i = 1, 9000 do
  local ok, value = pcall(fail, i)
  if ok then sum = sum + value else caught = caught + 1 end
end
print("caught", caught, "sum", sum)
-- error objects, nested pcall, error in a coroutine, xpcall with a traceback handler
local ok, e = pcall(function() error({code = 42}) end)
print(ok, type(e), e.code)
print(pcall(function() local ok2, e2 = pcall(error, "inner"); error("outer after " .. tostring(e2), 0) end))
local co = coroutine.create(function() coroutine.yield(1); error("in coroutine") end)
print(coroutine.resume(co)); print(coroutine.resume(co))
print(xpcall(function() return nil + 1 end, function(m) return "handled: " .. m:gsub("^.-:%d+: ", "") end))
-- deep recursion stopped by a stack overflow error, caught
local function down(n) return down(n + 1) + 1 end
local ok3, e3 = pcall(down, 1)
print(ok3, (e3:gsub("^.-:%d+: ", "")))
print(select("#", pcall(string.rep)), (select(2, pcall(string.rep))))
