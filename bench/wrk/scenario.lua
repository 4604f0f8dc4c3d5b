-- One script for every scenario, driven by the environment (run with one wrk thread, so the
-- requests below are numbered in one sequence):
--   BENCH_METHOD       GET or POST
--   BENCH_PATHS        a file of request paths, one per line, taken in turn (each used once
--                      when the run has at least as many paths as requests), or
--   BENCH_PATH         a single path
--   BENCH_TOKENS       a file of bearer tokens, one per line, taken in turn
--   BENCH_BODY         the JSON body
--   BENCH_RATE         wanted requests per second from all connections (0: as fast as possible)
local function lines(file)
  local out = {}
  if file == nil or file == "" then return out end
  for line in io.lines(file) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

local method = os.getenv("BENCH_METHOD") or "GET"
local paths = lines(os.getenv("BENCH_PATHS"))
if #paths == 0 then paths = { os.getenv("BENCH_PATH") or "/healthz" } end
local tokens = lines(os.getenv("BENCH_TOKENS"))
local body = os.getenv("BENCH_BODY")
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local counter = 0

-- A fixed rate: each request, whichever connection sends it, takes the next slot of one
-- schedule of `rate` slots a second (a connection waits for its slot), so the rate holds
-- however long the answers take. LuaJIT's ffi gives the monotonic clock wrk's Lua lacks.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local clock = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end
local next_slot = 0

function delay()
  if rate <= 0 then return 0 end
  local now = now_ms()
  next_slot = math.max(now, next_slot + 1000 / rate)
  return math.floor(next_slot - now)
end

function request()
  counter = counter + 1
  local headers = { ["Content-Type"] = "application/json" }
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[((counter - 1) % #tokens) + 1]
  end
  return wrk.format(method, paths[((counter - 1) % #paths) + 1], headers, body)
end
