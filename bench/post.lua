-- POST the body in $WRK_BODY as JSON (one request shape per contestant, set by bench/serving.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("WRK_BODY")
