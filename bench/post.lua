-- POST the body in $WRK_BODY as JSON (one request shape per contestant, set by bench/serving.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("WRK_BODY")
-- $WRK_DELAY_MS, when set, is each connection's pause between a response and its next request:
-- the rate is then paced (connections / (pause + latency)) instead of as fast as the server answers.
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "")
if pause then
  function delay()
    return pause
  end
end
