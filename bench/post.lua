-- POST the body in $WRK_BODY as JSON (one request shape per contestant, set by bench/serving.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("WRK_BODY")
-- $WRK_KEY, when set, is sent as x-functions-key (the Functions host checks function keys, as in Azure).
local key = os.getenv("WRK_KEY")
if key then
  wrk.headers["x-functions-key"] = key
end
-- $WRK_DELAY_MS, when set, is each connection's mean pause between a response and its next request:
-- the rate is then paced (about connections / (pause + latency)) instead of as fast as the server
-- answers. Pauses are drawn uniformly from 0 to twice the mean, so the connections do not fire
-- in step (which would measure a burst of them queueing, not the latency at that rate).
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "")
if pause then
  function delay()
    return math.random(0, 2 * pause)
  end
end
