-- wrk script: each connection waits WRK_DELAY_MS between a response and its next request, so that
-- connections * 1000 / (delay + latency) approximates a fixed request rate. This is closed-loop pacing (a slow
-- response delays the next request: coordinated omission), not wrk2's open loop; wrk2 is not packaged in Debian.
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")

function delay()
  return pause
end

function done(summary, latency, requests)
  -- requests, duration (us), then p50, p90, p99, p99.9 and max latency in microseconds
  io.write(string.format("PACED %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
