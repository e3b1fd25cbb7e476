-- One iris record per request, as an application would send it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}'
