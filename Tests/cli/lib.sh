# Shared by the CLI scripts that run one `cardex serve` on a fresh data directory and sign people
# in with the codes in its notification log. Source it after setting `bin` (the `cardex` binary)
# and `work` (a scratch directory) and defining `fail MESSAGE` (prints it and exits).

# Starts `cardex serve` on a free port with the data directory $work/data (which gets a development
# certificate) and ARGS, logging to $work/serve.log; sets server_pid, and address (HOST:PORT) once
# the server reports it, failing after 10 s.
start_server() {
    "$bin" serve --port 0 --data-dir "$work/data" "$@" >"$work/serve.log" 2>&1 &
    server_pid=$!
    address=""
    for _ in $(seq 100); do
        address="$(grep -o 'address=[0-9.]*:[0-9]*' "$work/serve.log" | head -1 | cut -d= -f2)" || true
        [ -n "$address" ] && return 0
        sleep 0.1
    done
    fail "server did not report its address"
}

# `cardex ARGS…` against that server, trusting its development certificate ($CARDEX_PROFILE signs in).
cli() { "$bin" "$@" --server "$address" --ca "$work/data/dev-ca.pem"; }

# The last code sent to a number (E.164), waiting up to 5 s for it.
code_for() {
    local code=""
    for _ in $(seq 50); do
        code="$(grep -F "\"to\":\"$1\"" "$work/data/notifications.log" 2>/dev/null | grep -o 'code is [0-9]\{6\}' | tail -1 | grep -o '[0-9]\{6\}')" || true
        [ -n "$code" ] && break
        sleep 0.1
    done
    echo "$code"
}
