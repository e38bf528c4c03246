# Reading the file log of notifications (`cardex serve --notification-log`) in the CLI tests.
# Sourced by them, after they set $notification_log.

# The codes sent to a number (E.164), one a line, after waiting up to 5 s for a message to it.
codes_for() {
    for _ in $(seq 50); do
        grep -qF "\"to\":\"$1\"" "$notification_log" 2>/dev/null && break
        sleep 0.1
    done
    grep -F "\"to\":\"$1\"" "$notification_log" 2>/dev/null | grep -o 'code is [0-9]\{6\}' | grep -o '[0-9]\{6\}' || true
}

# How many messages of any kind were sent to a number (E.164).
messages_to() { grep -cF "\"to\":\"$1\"" "$notification_log" || true; }
