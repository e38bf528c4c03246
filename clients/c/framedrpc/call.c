#include "connection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "/service/method": a leading slash, then two non-empty parts separated by one slash. */
static bool valid_method(const char *method) {
    if (method == NULL || method[0] != '/') return false;
    const char *separator = strchr(method + 1, '/');
    return separator != NULL && separator > method + 1 && separator[1] != '\0' && strchr(separator + 1, '/') == NULL;
}

static void discard_messages(frpc_call *call) {
    while (call->first != NULL) {
        frpc_queued_message *next = call->first->next;
        free(call->first);
        call->first = next;
    }
    call->last = NULL;
}

void frpc_call_end_locally(frpc_call *call, frpc_code code, bool send_cancel, const char *format, ...) {
    if (call->ended) return;
    call->ended = true;
    va_list arguments;
    va_start(arguments, format);
    frpc_vfail(&call->status, code, format, arguments);
    va_end(arguments);
    discard_messages(call);
    frpc_connection *connection = call->connection;
    if (send_cancel && connection != NULL && !connection->failed &&
        frpc_connection_queue(connection, FRPC_FRAME_CANCEL, call->stream_id, NULL, 0)) {
        frpc_connection_flush(connection);  /* a failure fails the connection, not this call's status */
    }
}

/* Ends the call with DEADLINE_EXCEEDED when its deadline has passed; true if it has. */
static bool check_deadline(frpc_call *call) {
    if (!call->ended && call->deadline != FRPC_NO_DEADLINE && frpc_now_ms() >= call->deadline) {
        frpc_call_end_locally(call, FRPC_DEADLINE_EXCEEDED, true, "deadline of %llu ms exceeded",
                              (unsigned long long)call->timeout_ms);
    }
    return call->ended;
}

/* Waits for one step of progress on the connection, within the call's deadline. */
static void make_progress(frpc_call *call) {
    if (check_deadline(call)) return;
    frpc_connection_pump(call->connection, call->deadline);  /* failures end the call */
    check_deadline(call);
}

static bool protocol_error(frpc_wire_error *error, const char *format, const char *type, uint32_t stream_id) {
    error->code = FRPC_WIRE_PROTOCOL_ERROR;
    snprintf(error->message, sizeof error->message, format, type, stream_id);
    return false;
}

static bool on_headers(frpc_call *call, const frpc_frame *frame, frpc_wire_error *error) {
    if (call->initial_metadata_known) {
        return protocol_error(error, "%s on stream %u after its initial metadata or first MESSAGE", "HEADERS",
                              call->stream_id);
    }
    Framedrpc__V1__ResponseHeaders *headers = framedrpc__v1__response_headers__unpack(NULL, frame->length, frame->payload);
    if (headers == NULL) return protocol_error(error, "%s on stream %u does not decode", "ResponseHeaders", call->stream_id);
    bool copied = frpc_metadata_from_wire(&call->initial_metadata, headers->metadata, headers->n_metadata);
    framedrpc__v1__response_headers__free_unpacked(headers, NULL);
    call->initial_metadata_known = true;
    if (!copied) frpc_call_end_locally(call, FRPC_RESOURCE_EXHAUSTED, true, "out of memory receiving metadata");
    return true;
}

static bool on_message(frpc_call *call, const frpc_frame *frame, frpc_wire_error *error) {
    if (call->receive_window <= 0) {
        error->code = FRPC_WIRE_FLOW_CONTROL_ERROR;
        snprintf(error->message, sizeof error->message, "MESSAGE on stream %u while its window is %lld",
                 call->stream_id, (long long)call->receive_window);
        return false;
    }
    call->receive_window -= frame->length;
    call->initial_metadata_known = true;
    frpc_queued_message *message = malloc(sizeof *message + frame->length);
    if (message == NULL) {
        frpc_call_end_locally(call, FRPC_RESOURCE_EXHAUSTED, true, "out of memory receiving a %u-byte response", frame->length);
        return true;
    }
    message->next = NULL;
    message->length = frame->length;
    if (frame->length > 0) memcpy(message->data, frame->payload, frame->length);
    if (call->last != NULL) call->last->next = message;
    else call->first = message;
    call->last = message;
    return true;
}

static bool on_status(frpc_call *call, const frpc_frame *frame, frpc_wire_error *error) {
    Framedrpc__V1__CallStatus *status = framedrpc__v1__call_status__unpack(NULL, frame->length, frame->payload);
    if (status == NULL) return protocol_error(error, "%s on stream %u does not decode", "CallStatus", call->stream_id);
    frpc_status_clear(&call->status);
    call->status.code = status->code > FRPC_UNAUTHENTICATED ? FRPC_UNKNOWN : (frpc_code)status->code;
    call->status.message = strdup(status->message);
    bool copied = call->status.message != NULL &&
                  frpc_metadata_from_wire(&call->status.trailing_metadata, status->trailing_metadata,
                                          status->n_trailing_metadata);
    framedrpc__v1__call_status__free_unpacked(status, NULL);
    call->initial_metadata_known = true;
    call->ended = true;
    if (!copied) {
        frpc_fail(&call->status, FRPC_RESOURCE_EXHAUSTED, "out of memory receiving the status");
        discard_messages(call);
    }
    return true;
}

bool frpc_call_on_frame(frpc_call *call, const frpc_frame *frame, frpc_wire_error *error) {
    if (call->ended) return true;  /* cancelled or timed out here: ignored (PROTOCOL.md §4.5) */
    switch (frame->type) {
    case FRPC_FRAME_HEADERS: return on_headers(call, frame, error);
    case FRPC_FRAME_MESSAGE: return on_message(call, frame, error);
    case FRPC_FRAME_STATUS: return on_status(call, frame, error);
    case FRPC_FRAME_WINDOW_UPDATE:
        call->send_window += frpc_frame_window_increment(frame);
        return true;
    default: return true;  /* frpc_frame_validate_from_server allows no other call frame */
    }
}

/* Frees a call whose HEADERS never went out: no CANCEL for it. */
static void free_unopened(frpc_call *call) {
    call->ended = true;
    call->connection = NULL;
    frpc_call_free(call);
}

frpc_code frpc_call_start(frpc_connection *connection, const char *method,
                          const frpc_call_options *options, frpc_call **call, frpc_status *status) {
    *call = NULL;
    frpc_call_options none = {0};
    if (options == NULL) options = &none;
    if (!valid_method(method)) {
        return frpc_fail(status, FRPC_INVALID_ARGUMENT, "method '%s' is not of the form /package.Service/Method",
                         method != NULL ? method : "(null)");
    }
    if (connection->failed) {
        return frpc_fail(status, FRPC_UNAVAILABLE, "the connection failed: %s", frpc_status_message(&connection->failure));
    }
    if (connection->goaway_received) {
        return frpc_fail(status, FRPC_UNAVAILABLE, "the server sent GOAWAY: open a new connection");
    }
    if (connection->current != NULL && !connection->current->ended) {
        return frpc_fail(status, FRPC_FAILED_PRECONDITION, "call to %s has not ended: this client runs one call "
                         "at a time per connection", connection->current->method);
    }
    if (connection->next_stream_id > UINT32_MAX) {
        return frpc_fail(status, FRPC_UNAVAILABLE, "stream ids exhausted on this connection: open a new one");
    }
    frpc_call *created = calloc(1, sizeof *created);
    if (created == NULL || (created->method = strdup(method)) == NULL) {
        free(created);
        return frpc_fail(status, FRPC_RESOURCE_EXHAUSTED, "out of memory");
    }
    created->connection = connection;
    created->stream_id = (uint32_t)connection->next_stream_id;
    created->timeout_ms = options->timeout_ms;
    created->deadline = frpc_deadline_after(options->timeout_ms);
    created->send_window = FRPC_INITIAL_WINDOW;
    created->receive_window = FRPC_INITIAL_WINDOW;

    Framedrpc__V1__CallHeaders headers = FRAMEDRPC__V1__CALL_HEADERS__INIT;
    headers.method = created->method;
    headers.timeout_micros = options->timeout_ms * 1000;
    headers.n_metadata = options->metadata != NULL ? options->metadata->count : 0;
    uint8_t *payload = NULL;
    bool queued = frpc_metadata_to_wire(options->metadata, &headers.metadata);
    if (queued) {
        size_t size = framedrpc__v1__call_headers__get_packed_size(&headers);
        if (size > connection->max_frame_size) {
            free(headers.metadata);
            free_unopened(created);
            return frpc_fail(status, FRPC_INVALID_ARGUMENT, "call headers of %zu bytes exceed the frame limit", size);
        }
        payload = malloc(size + 1);
        queued = payload != NULL;
        if (queued) {
            framedrpc__v1__call_headers__pack(&headers, payload);
            queued = frpc_connection_queue(connection, FRPC_FRAME_HEADERS, created->stream_id, payload, (uint32_t)size);
        }
    }
    free(headers.metadata);
    free(payload);
    if (!queued) {
        free_unopened(created);
        return frpc_fail(status, FRPC_RESOURCE_EXHAUSTED, "out of memory");
    }
    /* HEADERS stays queued: it goes out with the first MESSAGE, HALF_CLOSE or read. */
    connection->next_stream_id += 2;
    connection->highest_stream_id = created->stream_id;
    connection->current = created;
    frpc_status_clear(status);
    *call = created;
    return FRPC_OK;
}

frpc_code frpc_call_send_message(frpc_call *call, const ProtobufCMessage *request, bool flush, frpc_status *status) {
    if (check_deadline(call)) return frpc_status_copy(status, &call->status);
    if (call->half_closed) return frpc_fail(status, FRPC_FAILED_PRECONDITION, "send after half-close on %s", call->method);
    size_t size = protobuf_c_message_get_packed_size(request);
    if (size > call->connection->max_frame_size) {
        return frpc_fail(status, FRPC_INVALID_ARGUMENT, "message of %zu bytes exceeds the frame limit of %u bytes",
                         size, call->connection->max_frame_size);
    }
    while (!call->ended && call->send_window <= 0) make_progress(call);
    if (call->ended) return frpc_status_copy(status, &call->status);
    if (!frpc_connection_queue_message(call->connection, call->stream_id, request, size)) {
        return frpc_fail(status, FRPC_RESOURCE_EXHAUSTED, "out of memory");
    }
    call->send_window -= (int64_t)size;
    if (flush && frpc_connection_flush(call->connection) != FRPC_OK) return frpc_status_copy(status, &call->status);
    frpc_status_clear(status);
    return FRPC_OK;
}

frpc_code frpc_call_send(frpc_call *call, const ProtobufCMessage *request, frpc_status *status) {
    return frpc_call_send_message(call, request, true, status);
}

frpc_code frpc_call_half_close(frpc_call *call, frpc_status *status) {
    frpc_status_clear(status);
    if (call->half_closed || call->ended) return FRPC_OK;
    call->half_closed = true;
    if (!frpc_connection_queue(call->connection, FRPC_FRAME_HALF_CLOSE, call->stream_id, NULL, 0)) {
        return frpc_fail(status, FRPC_RESOURCE_EXHAUSTED, "out of memory");
    }
    if (frpc_connection_flush(call->connection) != FRPC_OK) return frpc_status_copy(status, &call->status);
    return FRPC_OK;
}

/* Returns credit for consumed responses once half the window is used (PROTOCOL.md §5). */
static void return_credit(frpc_call *call, size_t consumed) {
    call->consumed_since_update += consumed;
    if (call->ended || call->consumed_since_update < FRPC_WINDOW_UPDATE_THRESHOLD) return;
    uint8_t increment[FRPC_WINDOW_UPDATE_SIZE];
    uint32_t value = (uint32_t)call->consumed_since_update;
    for (int i = 0; i < FRPC_WINDOW_UPDATE_SIZE; i++) increment[i] = (uint8_t)(value >> (24 - 8 * i));
    if (frpc_connection_queue(call->connection, FRPC_FRAME_WINDOW_UPDATE, call->stream_id, increment, sizeof increment)) {
        call->receive_window += value;
        call->consumed_since_update = 0;
        frpc_connection_flush(call->connection);
    }
}

frpc_code frpc_call_recv(frpc_call *call, const ProtobufCMessageDescriptor *type,
                         ProtobufCMessage **response, frpc_status *status) {
    *response = NULL;
    while (call->first == NULL && !call->ended) make_progress(call);
    frpc_queued_message *message = call->first;
    if (message == NULL) {  /* ended: a local end discards messages, a server status comes after them */
        return frpc_status_copy(status, &call->status);
    }
    call->first = message->next;
    if (call->first == NULL) call->last = NULL;
    *response = protobuf_c_message_unpack(type, NULL, message->length, message->data);
    size_t length = message->length;
    free(message);
    if (*response == NULL) {
        frpc_call_end_locally(call, FRPC_INTERNAL, true, "a response of %s does not decode as %s",
                              call->method, type->name);
        return frpc_status_copy(status, &call->status);
    }
    return_credit(call, length);
    frpc_status_clear(status);
    return FRPC_OK;
}

bool frpc_call_cancel(frpc_call *call) {
    if (call->ended) return false;
    frpc_call_end_locally(call, FRPC_CANCELLED, true, "cancelled by the client");
    return true;
}

const frpc_metadata *frpc_call_initial_metadata(const frpc_call *call) {
    return call->initial_metadata_known ? &call->initial_metadata : NULL;
}

bool frpc_call_done(const frpc_call *call) {
    return call->ended;
}

void frpc_call_free(frpc_call *call) {
    if (call == NULL) return;
    frpc_call_cancel(call);
    if (call->connection != NULL && call->connection->current == call) call->connection->current = NULL;
    discard_messages(call);
    frpc_metadata_clear(&call->initial_metadata);
    frpc_status_clear(&call->status);
    free(call->method);
    free(call);
}
