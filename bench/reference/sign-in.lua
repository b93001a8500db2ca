-- wrk script: POST /sign-in/email with the JSON credentials in BENCH_EMAIL and BENCH_PASSWORD
-- (set per server by bench/compare.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"email":"%s","password":"%s"}', os.getenv("BENCH_EMAIL") or "", os.getenv("BENCH_PASSWORD") or "")
