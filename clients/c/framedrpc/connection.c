#include "connection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    DEFAULT_CONNECT_TIMEOUT_MS = 10000,
    DEFAULT_WRITE_TIMEOUT_MS = 30000,
    READ_CHUNK_SIZE = 64 * 1024,
    FIRST_STREAM_ID = 1,  /* then 3, 5, ... as the Swift and Python clients do */
};

void frpc_config_init(frpc_config *config) {
    *config = (frpc_config){
        .connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS,
        .write_timeout_ms = DEFAULT_WRITE_TIMEOUT_MS,
        .max_frame_size = FRPC_DEFAULT_MAX_FRAME_SIZE,
    };
}

/* ---- Failing ------------------------------------------------------------ */

void frpc_connection_fail(frpc_connection *connection, frpc_code code, const char *format, ...) {
    if (connection->failed) return;
    connection->failed = true;
    va_list arguments;
    va_start(arguments, format);
    frpc_vfail(&connection->failure, code, format, arguments);
    va_end(arguments);
    frpc_transport_close(&connection->transport);
    connection->output_length = 0;
    if (connection->current != NULL) {
        frpc_call_end_locally(connection->current, code, false, "%s", frpc_status_message(&connection->failure));
    }
}

static void describe_goaway(const frpc_connection *connection, char *text, size_t size) {
    const char *message = connection->goaway_message != NULL ? connection->goaway_message : "";
    snprintf(text, size, "server sent GOAWAY %s%s%s", frpc_goaway_code_name(connection->goaway_code),
             *message != '\0' ? ": " : "", message);
}

/* ---- Writing ------------------------------------------------------------ */

/* Room for `length` more bytes at the end of the output; NULL when out of memory. */
static uint8_t *reserve_output(frpc_connection *connection, size_t length) {
    size_t needed = connection->output_length + length;
    if (needed > connection->output_capacity) {
        size_t capacity = connection->output_capacity ? connection->output_capacity : 4096;
        while (capacity < needed) capacity *= 2;
        uint8_t *output = realloc(connection->output, capacity);
        if (output == NULL) return NULL;
        connection->output = output;
        connection->output_capacity = capacity;
    }
    uint8_t *room = connection->output + connection->output_length;
    connection->output_length = needed;
    return room;
}

bool frpc_connection_queue(frpc_connection *connection, frpc_frame_type type, uint32_t stream_id,
                           const uint8_t *payload, uint32_t length) {
    if (connection->failed) return true;  /* nothing more is written; the failure is reported */
    uint8_t *room = reserve_output(connection, FRPC_FRAME_HEADER_SIZE + (size_t)length);
    if (room == NULL) return false;
    frpc_frame_encode_header(room, type, stream_id, length);
    if (length > 0) memcpy(room + FRPC_FRAME_HEADER_SIZE, payload, length);
    return true;
}

bool frpc_connection_queue_message(frpc_connection *connection, uint32_t stream_id,
                                   const ProtobufCMessage *message, size_t packed_size) {
    if (connection->failed) return true;
    uint8_t *room = reserve_output(connection, FRPC_FRAME_HEADER_SIZE + packed_size);
    if (room == NULL) return false;
    frpc_frame_encode_header(room, FRPC_FRAME_MESSAGE, stream_id, (uint32_t)packed_size);
    protobuf_c_message_pack(message, room + FRPC_FRAME_HEADER_SIZE);
    return true;
}

frpc_code frpc_connection_flush(frpc_connection *connection) {
    if (connection->failed) return connection->failure.code;
    if (connection->output_length == 0) return FRPC_OK;
    char error[320];
    frpc_io_result result = frpc_transport_write(&connection->transport, connection->output,
                                                 connection->output_length,
                                                 frpc_deadline_after(connection->write_timeout_ms),
                                                 error, sizeof error);
    connection->output_length = 0;
    if (result == FRPC_IO_TIMEOUT) {
        frpc_connection_fail(connection, FRPC_UNAVAILABLE, "writing to the server timed out after %u ms "
                             "(the server is not reading)", connection->write_timeout_ms);
    } else if (result != FRPC_IO_OK) {
        frpc_connection_fail(connection, FRPC_UNAVAILABLE, "%s", error);
    }
    return connection->failed ? connection->failure.code : FRPC_OK;
}

/* ---- Reading ------------------------------------------------------------ */

static bool on_goaway(frpc_connection *connection, const frpc_frame *frame, frpc_wire_error *error) {
    Framedrpc__V1__GoAway *goaway = framedrpc__v1__go_away__unpack(NULL, frame->length, frame->payload);
    if (goaway == NULL) {
        error->code = FRPC_WIRE_PROTOCOL_ERROR;
        snprintf(error->message, sizeof error->message, "GOAWAY does not decode as framedrpc.v1.GoAway");
        return false;
    }
    free(connection->goaway_message);
    connection->goaway_received = true;
    connection->goaway_last_stream_id = goaway->last_stream_id;
    connection->goaway_code = goaway->code;
    connection->goaway_message = strdup(goaway->message);
    framedrpc__v1__go_away__free_unpacked(goaway, NULL);
    frpc_call *call = connection->current;
    if (call != NULL && !call->ended && call->stream_id > connection->goaway_last_stream_id) {
        char reason[256];
        describe_goaway(connection, reason, sizeof reason);
        frpc_call_end_locally(call, FRPC_UNAVAILABLE, false, "%s; the call was not processed and may be "
                              "retried on a new connection", reason);
    }
    return true;
}

static bool dispatch(frpc_connection *connection, const frpc_frame *frame, frpc_wire_error *error) {
    switch (frame->type) {
    case FRPC_FRAME_PING:
        if (!frpc_connection_queue(connection, FRPC_FRAME_PONG, 0, frame->payload, frame->length)) {
            frpc_connection_fail(connection, FRPC_RESOURCE_EXHAUSTED, "out of memory answering a PING");
        }
        return true;
    case FRPC_FRAME_PONG:  /* an unsolicited PONG is ignored */
        if (connection->ping_outstanding && memcmp(frame->payload, connection->ping_data, FRPC_PING_DATA_SIZE) == 0) {
            connection->ping_outstanding = false;
        }
        return true;
    case FRPC_FRAME_GOAWAY:
        return on_goaway(connection, frame, error);
    default:
        break;
    }
    if (frame->stream_id > connection->highest_stream_id) {
        error->code = FRPC_WIRE_PROTOCOL_ERROR;
        snprintf(error->message, sizeof error->message, "%s on stream %u, which the client never opened",
                 frpc_frame_type_name(frame->type), frame->stream_id);
        return false;
    }
    frpc_call *call = connection->current;
    if (call != NULL && call->stream_id == frame->stream_id) return frpc_call_on_frame(call, frame, error);
    return true;  /* a call that ended here: ignored (PROTOCOL.md §4.5) */
}

/* Handles every complete frame buffered; returns how many, or -1 once the connection failed. */
static int dispatch_buffered(frpc_connection *connection) {
    int handled = 0;
    frpc_frame frame;
    frpc_wire_error error;
    int next;
    while (!connection->failed && (next = frpc_decoder_next(&connection->decoder, &frame, &error)) != 0) {
        if (next < 0 || !dispatch(connection, &frame, &error)) {
            /* A client never sends GOAWAY: it just closes (PROTOCOL.md §3). */
            frpc_connection_fail(connection, FRPC_INTERNAL, "server broke the protocol: %s: %s",
                                 frpc_goaway_code_name(error.code), error.message);
        }
        handled++;
    }
    return connection->failed ? -1 : handled;
}

frpc_code frpc_connection_pump(frpc_connection *connection, int64_t deadline) {
    if (frpc_connection_flush(connection) != FRPC_OK) return connection->failure.code;
    int handled = dispatch_buffered(connection);
    if (handled == 0) {
        uint8_t chunk[READ_CHUNK_SIZE];
        size_t received = 0;
        char error[320];
        frpc_io_result result = frpc_transport_read(&connection->transport, chunk, sizeof chunk, &received,
                                                    deadline, error, sizeof error);
        if (result == FRPC_IO_TIMEOUT) return FRPC_DEADLINE_EXCEEDED;
        if (result == FRPC_IO_CLOSED) {
            char reason[256] = "";
            if (connection->goaway_received) describe_goaway(connection, reason, sizeof reason);
            frpc_connection_fail(connection, FRPC_UNAVAILABLE, "server closed the connection%s%s",
                                 *reason != '\0' ? " after " : "", reason);
        } else if (result == FRPC_IO_ERROR) {
            frpc_connection_fail(connection, FRPC_UNAVAILABLE, "connection lost: %s", error);
        } else if (!frpc_decoder_feed(&connection->decoder, chunk, received)) {
            frpc_connection_fail(connection, FRPC_RESOURCE_EXHAUSTED, "out of memory buffering frames");
        } else {
            dispatch_buffered(connection);
        }
    }
    if (connection->failed) return connection->failure.code;
    return frpc_connection_flush(connection);  /* PONGs and WINDOW_UPDATEs go out at once */
}

/* ---- Opening and closing ----------------------------------------------- */

/* Writes our preface and checks the server's (PROTOCOL.md §2); bytes after it go to the decoder. */
static frpc_code exchange_prefaces(frpc_connection *connection, int64_t deadline, frpc_status *status) {
    char error[320];
    if (frpc_transport_write(&connection->transport, frpc_preface, FRPC_PREFACE_SIZE, deadline, error,
                             sizeof error) != FRPC_IO_OK) {
        return frpc_fail(status, FRPC_UNAVAILABLE, "sending the connection preface failed: %s", error);
    }
    uint8_t chunk[READ_CHUNK_SIZE];
    size_t have = 0;
    while (have < FRPC_PREFACE_SIZE) {
        size_t received = 0;
        frpc_io_result result = frpc_transport_read(&connection->transport, chunk + have, sizeof chunk - have,
                                                    &received, deadline, error, sizeof error);
        if (result == FRPC_IO_TIMEOUT) return frpc_fail(status, FRPC_UNAVAILABLE, "timed out waiting for the server's connection preface");
        if (result == FRPC_IO_CLOSED) return frpc_fail(status, FRPC_UNAVAILABLE, "server closed the connection before sending its preface");
        if (result != FRPC_IO_OK) return frpc_fail(status, FRPC_UNAVAILABLE, "%s", error);
        have += received;
    }
    frpc_wire_error wire_error;
    if (!frpc_preface_check(chunk, &wire_error)) return frpc_fail(status, FRPC_UNAVAILABLE, "%s", wire_error.message);
    if (!frpc_decoder_feed(&connection->decoder, chunk + FRPC_PREFACE_SIZE, have - FRPC_PREFACE_SIZE)) {
        return frpc_fail(status, FRPC_RESOURCE_EXHAUSTED, "out of memory buffering frames");
    }
    return FRPC_OK;
}

frpc_code frpc_connect(const char *host, uint16_t port, const frpc_config *config,
                       frpc_connection **connection, frpc_status *status) {
    *connection = NULL;
    frpc_config defaults;
    if (config == NULL) {
        frpc_config_init(&defaults);
        config = &defaults;
    }
    if (host == NULL || config->max_frame_size < 1) {
        return frpc_fail(status, FRPC_INVALID_ARGUMENT, "frpc_connect needs a host and a max_frame_size of at least 1");
    }
    frpc_connection *created = calloc(1, sizeof *created);
    if (created == NULL) return frpc_fail(status, FRPC_RESOURCE_EXHAUSTED, "out of memory");
    created->max_frame_size = config->max_frame_size;
    created->write_timeout_ms = config->write_timeout_ms;
    created->next_stream_id = FIRST_STREAM_ID;
    frpc_decoder_init(&created->decoder, config->max_frame_size);
    int64_t deadline = frpc_deadline_after(config->connect_timeout_ms);
    frpc_code code = frpc_transport_connect(&created->transport, host, port, config, deadline, status);
    if (code == FRPC_OK) {
        code = exchange_prefaces(created, deadline, status);
        if (code != FRPC_OK) frpc_transport_close(&created->transport);
    }
    if (code != FRPC_OK) {
        frpc_decoder_free(&created->decoder);
        free(created);
        return code;
    }
    frpc_status_clear(status);
    *connection = created;
    return FRPC_OK;
}

const char *frpc_connection_alpn(const frpc_connection *connection) {
    return connection->transport.alpn[0] != '\0' ? connection->transport.alpn : NULL;
}

frpc_code frpc_connection_ping(frpc_connection *connection, uint32_t timeout_ms,
                               uint64_t *round_trip_ms, frpc_status *status) {
    if (connection->failed) return frpc_fail(status, FRPC_UNAVAILABLE, "%s", frpc_status_message(&connection->failure));
    uint64_t count = ++connection->pings_sent;
    for (int i = 0; i < FRPC_PING_DATA_SIZE; i++) connection->ping_data[i] = (uint8_t)(count >> (56 - 8 * i));
    connection->ping_outstanding = true;
    if (!frpc_connection_queue(connection, FRPC_FRAME_PING, 0, connection->ping_data, FRPC_PING_DATA_SIZE)) {
        return frpc_fail(status, FRPC_RESOURCE_EXHAUSTED, "out of memory sending a PING");
    }
    int64_t started = frpc_now_ms();
    int64_t deadline = frpc_deadline_after(timeout_ms);
    while (connection->ping_outstanding && !connection->failed) {
        if (frpc_connection_pump(connection, deadline) == FRPC_DEADLINE_EXCEEDED) {
            connection->ping_outstanding = false;
            return frpc_fail(status, FRPC_DEADLINE_EXCEEDED, "no PONG within %u ms", timeout_ms);
        }
    }
    if (connection->failed) return frpc_status_copy(status, &connection->failure);
    if (round_trip_ms != NULL) *round_trip_ms = (uint64_t)(frpc_now_ms() - started);
    frpc_status_clear(status);
    return FRPC_OK;
}

void frpc_connection_close(frpc_connection *connection) {
    if (connection == NULL) return;
    if (connection->current != NULL) {
        frpc_call_end_locally(connection->current, FRPC_CANCELLED, true, "connection closed by the client");
        connection->current->connection = NULL;
    }
    if (!connection->failed) {
        frpc_connection_flush(connection);  /* e.g. a CANCEL still queued */
        frpc_transport_close(&connection->transport);
    }
    frpc_decoder_free(&connection->decoder);
    frpc_status_clear(&connection->failure);
    free(connection->output);
    free(connection->goaway_message);
    free(connection);
}
