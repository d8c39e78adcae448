-- wrk script: GET top-20 recommendations for users w0..w9999 in turn.
-- usage: wrk -t4 -c16 -d20s -s lib-examples/src/main/wrk/recommendations.lua http://127.0.0.1:8080
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", string.format("/users/w%d/recommendations?k=20", counter % 10000))
end
