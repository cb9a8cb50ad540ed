-- wrk script: valid submissions with unique keys, for comparing with the in-repo load
-- generator (server/benches/submit_load.rs). Usage, against a server started with
-- --submit-rate 0:
--   wrk -t2 -c64 -d10s -s scripts/wrk-submit.lua http://127.0.0.1:3000
local counter = 0
local prefix
-- WRK_PACE_MS: each connection waits this long after each answer, to hold a rate below
-- the maximum (connections × 1000 / pace per second, less the latency itself).
local pace = tonumber(os.getenv("WRK_PACE_MS") or "0")

function delay()
  return pace
end

function setup(thread)
  thread:set("id", tostring(math.random(1, 1e9)))
end

function init()
  prefix = "wrk-" .. id .. "-" .. tostring(os.time())
end

local answers = '{"org_type":"local","role":"comms_head","strategy":"yes","purposes":["news","feedback"],' ..
  '"channels":{"twitter":"using","facebook":"using","youtube":"planning","linkedin":"no_plans",' ..
  '"instagram":"no_plans","flickr":"no_plans","blogs":"planning"},"user_channels":["facebook"],' ..
  '"spend":250,"obstacle":"Measuring outcomes"}'

function request()
  counter = counter + 1
  local body = '{"submission_key":"' .. prefix .. "-" .. counter .. '","answers":' .. answers .. '}'
  return wrk.format("POST", "/api/surveys/public-sector-social-media/responses",
    { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
