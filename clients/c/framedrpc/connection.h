/* The connection and call structures and what calls need from their connection.
 * Internal: applications use framedrpc.h. */
#ifndef FRAMEDRPC_CONNECTION_H
#define FRAMEDRPC_CONNECTION_H

#include "frame.h"
#include "internal.h"
#include "transport.h"

/* A response received and not yet returned by frpc_call_recv. */
typedef struct frpc_queued_message {
    struct frpc_queued_message *next;
    size_t length;
    uint8_t data[];
} frpc_queued_message;

struct frpc_call {
    frpc_connection *connection;
    uint32_t stream_id;
    char *method;
    uint64_t timeout_ms;
    int64_t deadline;                 /* FRPC_NO_DEADLINE for none */
    bool half_closed;
    bool ended;                       /* `status` is final */
    frpc_status status;               /* sent by the server, or decided here (status.local) */
    bool initial_metadata_known;
    frpc_metadata initial_metadata;
    frpc_queued_message *first, *last;
    int64_t send_window;              /* may go negative (PROTOCOL.md §5) */
    int64_t receive_window;           /* our record of the server's window */
    uint64_t consumed_since_update;   /* response bytes returned since the last WINDOW_UPDATE */
};

struct frpc_connection {
    frpc_transport transport;
    frpc_decoder decoder;
    uint32_t max_frame_size;
    uint32_t write_timeout_ms;
    uint8_t *output;                  /* frames queued for the next flush */
    size_t output_length, output_capacity;
    uint64_t next_stream_id;          /* 64 bits, so running out of 32-bit ids shows */
    uint32_t highest_stream_id;
    frpc_call *current;               /* the open (or last, not yet freed) call */
    bool failed;                      /* `failure` says why; nothing more is read or written */
    frpc_status failure;
    bool goaway_received;
    uint32_t goaway_last_stream_id;
    int goaway_code;
    char *goaway_message;
    uint64_t pings_sent;
    bool ping_outstanding;
    uint8_t ping_data[FRPC_PING_DATA_SIZE];
};

/* The initial per-call window in each direction, and the consumed amount after which
 * credit is returned (PROTOCOL.md §5). */
#define FRPC_INITIAL_WINDOW (1024 * 1024)
#define FRPC_WINDOW_UPDATE_THRESHOLD (FRPC_INITIAL_WINDOW / 2)

/** Queues a frame with `payload` for the next flush; false when out of memory. */
bool frpc_connection_queue(frpc_connection *connection, frpc_frame_type type, uint32_t stream_id,
                           const uint8_t *payload, uint32_t length);

/** Queues a MESSAGE frame holding `message`, packed in place; false when out of memory. */
bool frpc_connection_queue_message(frpc_connection *connection, uint32_t stream_id,
                                   const ProtobufCMessage *message, size_t packed_size);

/** Writes the queued frames; on failure the connection fails (UNAVAILABLE). */
frpc_code frpc_connection_flush(frpc_connection *connection);

/** Makes progress: flushes, then handles the frames already buffered or, when there
 *  are none, reads once and handles what arrived. DEADLINE_EXCEEDED when `deadline`
 *  passes with nothing read; the failure's code once the connection has failed. */
frpc_code frpc_connection_pump(frpc_connection *connection, int64_t deadline);

/** Fails the connection (the first reason wins): closes the transport and ends the
 *  open call with the same status. */
void frpc_connection_fail(frpc_connection *connection, frpc_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/** Applies a frame the server sent on this call; false (and `error`) when it broke a rule. */
bool frpc_call_on_frame(frpc_call *call, const frpc_frame *frame, frpc_wire_error *error);

/** frpc_call_send, leaving the MESSAGE queued when `flush` is false (so that
 *  HEADERS, MESSAGE and HALF_CLOSE can go out in one write). */
frpc_code frpc_call_send_message(frpc_call *call, const ProtobufCMessage *request, bool flush,
                                 frpc_status *status);

/** Ends the call here with `code` (no-op once ended); sends CANCEL when asked. */
void frpc_call_end_locally(frpc_call *call, frpc_code code, bool send_cancel, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

#endif /* FRAMEDRPC_CONNECTION_H */
