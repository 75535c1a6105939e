-- wrk script for the YCSB-like store benchmark: a mix of GetItem and UpdateItem over the
-- DynamoDB JSON protocol, keys drawn uniformly or from YCSB's scrambled Zipf distribution.
--   wrk -t2 -c32 -d20s -s workload.lua http://127.0.0.1:PORT -- TABLE RECORDS READ_PCT DIST
-- DIST is "uniform" or "zipf". At the end one line `RESULT {json}` carries the figures the
-- driver (ycsb.py) reads, so it does not parse wrk's human-readable report.

local table_name, records, read_pct, dist
local cdf -- Zipf cumulative distribution over ranks 1..records (only for DIST=zipf)
local counter = 0

-- DynamoDB-compatible servers want a SigV4-shaped Authorization header; neither server under
-- test verifies the signature by default, so a fixed one keeps the driver cheap.
local headers = {
  ["Content-Type"] = "application/x-amz-json-1.0",
  ["X-Amz-Date"] = "20250101T000000Z",
  ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/dynamodb/aws4_request, " ..
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64),
}

-- YCSB's zipfian constant.
local THETA = 0.99

local function build_cdf(n)
  local c, sum = {}, 0
  for i = 1, n do
    sum = sum + 1 / (i ^ THETA)
    c[i] = sum
  end
  for i = 1, n do c[i] = c[i] / sum end
  return c
end

local function zipf_rank()
  local u = math.random()
  local lo, hi = 1, #cdf
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return lo
end

local function next_key()
  if dist == "zipf" then
    -- Scramble ranks (as YCSB's ScrambledZipfian does) so hot keys are spread over the key space.
    return ((zipf_rank() - 1) * 2654435761) % records
  end
  return math.random(0, records - 1)
end

local function key_name(k)
  return string.format("user%09d", k)
end

local value = string.rep("u", 100)

function init(args)
  table_name = args[1]
  records = tonumber(args[2])
  read_pct = tonumber(args[3])
  dist = args[4] or "uniform"
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
  if dist == "zipf" then cdf = build_cdf(records) end
end

function request()
  counter = counter + 1
  local key = key_name(next_key())
  if math.random(100) <= read_pct then
    headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem"
    return wrk.format("POST", "/", headers,
      '{"TableName":"' .. table_name .. '","Key":{"id":{"S":"' .. key .. '"}}}')
  end
  -- Each update rewrites one of the ten 100-byte fields, as YCSB's update does.
  headers["X-Amz-Target"] = "DynamoDB_20120810.UpdateItem"
  local field = "field" .. math.random(0, 9)
  local v = string.format("%08d", counter) .. value:sub(9)
  return wrk.format("POST", "/", headers,
    '{"TableName":"' .. table_name .. '","Key":{"id":{"S":"' .. key .. '"}},' ..
    '"UpdateExpression":"SET #f = :v","ExpressionAttributeNames":{"#f":"' .. field .. '"},' ..
    '"ExpressionAttributeValues":{":v":{"S":"' .. v .. '"}}}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f,' ..
    '"max_us":%d,"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
