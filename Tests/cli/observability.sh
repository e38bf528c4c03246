#!/usr/bin/env bash
# What an operator of `cardex serve` uses, end to end, as the README shows it. The server is
# configured from all three places: a JSON config file (metrics, reflection, the SMS webhook and
# its Authorization header), the environment (the OTLP endpoint) and flags (port, data
# directory); `--print-config` shows each value with its source and masks the secrets, and a
# misspelled key or a secret-holding file that others may read stops it. Then: the metrics
# endpoint scraped with curl, the health check and a call made with the `framedrpc` CLI through
# reflection, the code sent to the webhook with the configured header, and a trace that crosses
# the call: a W3C traceparent sent with the call comes back in the spans exported over OTLP/HTTP
# to a stand-in collector (Tests/cli/receiver.py), the store's transaction a child of the call.
#
#   Tests/cli/observability.sh BIN_DIR
#       BIN_DIR holds the built `cardex`; the `framedrpc` CLI comes from clients/python.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:?usage: observability.sh BIN_DIR}/cardex"
work="$(mktemp -d)"
server_pid=""
collector_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$collector_pid" ] && kill "$collector_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "observability: FAILED: $*" >&2; [ -f "$work/serve.log" ] && sed 's/^/  serve: /' "$work/serve.log" >&2; exit 1; }
framedrpc() { PYTHONPATH="$root/clients/python:$root/Generated/python" python3 -m framedrpc "$@"; }

python3 "$root/Tests/cli/receiver.py" "$work/spans.jsonl" "$work/webhook.jsonl" >"$work/collector.port" &
collector_pid=$!
for _ in $(seq 50); do [ -s "$work/collector.port" ] && break; sleep 0.1; done
collector_port="$(cat "$work/collector.port")"
[ -n "$collector_port" ] || fail "the stand-in collector did not start"

# The settings, from a file, the environment and flags.
config="$work/cardex.json"
cat >"$config" <<JSON
{
  "metrics": "0",
  "reflection": true,
  "test-number-prefix": ["+1555"],
  "webhook-url": "http://127.0.0.1:$collector_port/sms",
  "webhook-header": ["Authorization: Bearer sms-secret"]
}
JSON
chmod 600 "$config"
export CARDEX_OTLP_ENDPOINT="http://127.0.0.1:$collector_port"
serve_args=(serve --config "$config" --port 0 --data-dir "$work/data")
serve() { "$bin" "${serve_args[@]}" "$@"; }

serve --print-config >"$work/print.txt" || fail "--print-config: $(cat "$work/print.txt")"
for line in "^metrics *= 0  ($config)" "^otlp-endpoint *= http://127.0.0.1:$collector_port  (CARDEX_OTLP_ENDPOINT)" \
    "^port *= 0  (flag --port)" "^webhook-header *= Authorization: \*\*\*\*  ($config)" "^max-connections *= 1024  (default)"; do
    grep -q "$line" "$work/print.txt" || fail "--print-config lacks /$line/: $(cat "$work/print.txt")"
done
grep -q "sms-secret" "$work/print.txt" && fail "--print-config shows the webhook's secret"
CARDEX_MAX_CONNECTIONS=7 serve --max-connections 9 --print-config | grep -q "^max-connections *= 9  (flag --max-connections)" \
    || fail "a flag does not win over the environment"
chmod 644 "$config"
serve --print-config >/dev/null 2>"$work/err" && fail "a config file with a secret that others may read was accepted"
grep -q "chmod 600" "$work/err" || fail "the readable config file: $(cat "$work/err")"
chmod 600 "$config"
echo '{"max-conections": 5}' >"$work/typo.json"
"$bin" serve --config "$work/typo.json" --print-config >/dev/null 2>"$work/err" && fail "a misspelled key was accepted"
grep -q "max-conections" "$work/err" || fail "the misspelled key: $(cat "$work/err")"

# Spans as JSON, exported 100 ms after they end.
OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_BSP_SCHEDULE_DELAY=100 \
    "$bin" "${serve_args[@]}" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    address="$(grep -o ' address=[0-9.]*:[0-9]*' "$work/serve.log" | head -1 | cut -d= -f2)" || true
    metrics="$(grep -o 'metrics=http://[0-9.]*:[0-9]*/metrics' "$work/serve.log" | head -1 | cut -d= -f2)" || true
    [ -n "$address" ] && [ -n "$metrics" ] && break
    sleep 0.1
done
[ -n "$address" ] && [ -n "$metrics" ] || fail "the server did not report its address and metrics endpoint"
ca="$work/data/dev-ca.pem"

# Health, and the services, through reflection.
framedrpc call "$address" framedrpc.health.v1.Health/Check --cacert "$ca" | grep -qx '{"status": "SERVING"}' \
    || fail "health check"
framedrpc list "$address" --cacert "$ca" | grep -qx 'cardex.v1.LookupService' || fail "framedrpc list"

# A call carrying a trace context.
trace_id=4bf92f3577b34da6a3ce929d0e0e4736
parent_id=00f067aa0ba902b7
framedrpc call "$address" /cardex.v1.RegistrationService/RequestCode --cacert "$ca" \
    -H "traceparent: 00-$trace_id-$parent_id-01" \
    -d '{"phone": "+15550107777", "purpose": "CODE_PURPOSE_REGISTER"}' >"$work/call.json" || fail "RequestCode: $(cat "$work/call.json")"
grep -q '"phone": "+15550107777"' "$work/call.json" || fail "RequestCode answered $(cat "$work/call.json")"

# The code went to the gateway with the configured header.
for _ in $(seq 100); do grep -q '/sms' "$work/webhook.jsonl" 2>/dev/null && break; sleep 0.1; done
python3 - "$work/webhook.jsonl" <<'PY' || fail "webhook: $(cat "$work/webhook.jsonl" 2>/dev/null)"
import json, sys
request = json.loads(open(sys.argv[1]).readline())
assert request["path"] == "/sms" and request["headers"]["Authorization"] == "Bearer sms-secret", request
assert "+15550107777" in request["body"], request
PY

# The scrape counts the call.
curl -fsS "$metrics" >"$work/metrics.txt" || fail "scrape $metrics"
grep -qx 'framedrpc_server_calls_finished_total{method="/cardex.v1.RegistrationService/RequestCode",code="OK"} 1' "$work/metrics.txt" \
    || fail "the scrape does not count RequestCode: $(grep RequestCode "$work/metrics.txt")"
grep -qx 'cardex_verification_codes_sent_total 1' "$work/metrics.txt" || fail "the scrape does not count the code sent"

# The call's span joined the caller's trace; the store's write is its child.
for _ in $(seq 100); do grep -q '"name": "store write"' "$work/spans.jsonl" 2>/dev/null && break; sleep 0.1; done
python3 - "$work/spans.jsonl" "$trace_id" "$parent_id" <<'PY' || fail "spans: $(cat "$work/spans.jsonl" 2>/dev/null)"
import json, sys
spans = [json.loads(line) for line in open(sys.argv[1])]
trace_id, parent_id = sys.argv[2], sys.argv[3]
call = next(s for s in spans if s["name"] == "cardex.v1.RegistrationService/RequestCode")
assert call["traceId"] == trace_id and call["parentSpanId"] == parent_id, call
assert call["attributes"]["rpc.system"] == "framedrpc" and call["attributes"]["rpc.framedrpc.status_code"] == "0", call
write = next(s for s in spans if s["name"] == "store write" and s["parentSpanId"] == call["spanId"])
assert write["traceId"] == trace_id and write["attributes"]["db.system.name"] == "sqlite", write
PY

kill -TERM "$server_pid"
wait "$server_pid" || fail "cardex serve did not exit cleanly"
server_pid=""
echo "observability: settings, metrics, health, reflection, webhook headers and tracing OK"
