"""A stand-in OpenTelemetry collector and SMS gateway for Tests/cli/observability.sh, on
127.0.0.1 (a free port, printed first). OTLP/HTTP JSON exports to /v1/traces: each span is
appended to SPANS_FILE as one JSON line, its ids in hex (OTLP/JSON says hex; swift-otel sends
protobuf's base64, both are read). Any other POST (a webhook): its path, headers and body are
appended to REQUESTS_FILE as one JSON line.

    receiver.py SPANS_FILE REQUESTS_FILE"""

import base64
import binascii
import http.server
import json
import sys


def hex_id(text: str, size: int) -> str:
    if len(text) == size * 2:
        try:
            bytes.fromhex(text)
            return text.lower()
        except ValueError:
            pass
    return binascii.hexlify(base64.b64decode(text)).decode()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/v1/traces":
            with open(sys.argv[2], "a") as out:
                out.write(json.dumps({"path": self.path, "headers": dict(self.headers), "body": raw.decode()}) + "\n")
            self.answer()
            return
        body = json.loads(raw)
        with open(sys.argv[1], "a") as out:
            for resource in body.get("resourceSpans", []):
                for scope in resource.get("scopeSpans", []):
                    for span in scope.get("spans", []):
                        out.write(json.dumps({
                            "name": span["name"],
                            "traceId": hex_id(span["traceId"], 16),
                            "spanId": hex_id(span["spanId"], 8),
                            "parentSpanId": hex_id(span.get("parentSpanId", ""), 8) if span.get("parentSpanId") else "",
                            "kind": span.get("kind"),
                            "attributes": {a["key"]: list(a["value"].values())[0] for a in span.get("attributes", [])},
                        }) + "\n")
        self.answer()

    def answer(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args) -> None:
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
print(server.server_address[1], flush=True)
server.serve_forever()
