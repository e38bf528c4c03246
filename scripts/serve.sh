#!/usr/bin/env bash
# Runs the FramedRPC interop server on its defaults: TLS on 127.0.0.1:50051 with the
# committed test certificate (clients trust Tests/FramedRPCTests/Certificates/ca.pem).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
certs=Tests/FramedRPCTests/Certificates
exec swift run -c release framedrpc-interop serve --port "${PORT:-50051}" \
  --cert "$certs/server.pem" --key "$certs/server-key.pem"
