-- wrk script: POST one VIEW event per request, spread over 10,000 users and 1,000 items.
-- usage: wrk -t4 -c16 -d20s -s lib-examples/src/main/wrk/events.lua http://127.0.0.1:8080
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"userId":"w%d","itemId":"i%d","type":"VIEW","timestamp":%d}',
      counter % 10000, (counter * 7) % 1000 + 1, 1767571200000 + counter)
  return wrk.format("POST", "/events", {["Content-Type"] = "application/json"}, body)
end
