/*
 * framedrpc-interop-c: runs interop cases (named and parameterised as in gRPC's
 * interop test descriptions, see Sources/FramedRPCInterop/InteropCase.swift)
 * against a server hosting framedrpc.testing.TestService, one connection per case.
 *
 *   framedrpc-interop-c --host HOST --port PORT [--ca FILE] [--server-name NAME]
 *                       [--plaintext] [--case NAME]...
 *
 * Without --case, runs every case. Prints "PASS name" or "FAIL name: why" per case;
 * exits 1 when any case fails, 2 for bad arguments.
 */
#include "framedrpc.h"
#include "framedrpc/testing/empty.pb-c.h"
#include "framedrpc/testing/messages.pb-c.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVICE "/framedrpc.testing.TestService/"

enum {
    CALL_TIMEOUT_MS = 10000,  /* each call, where the deadline is not what is tested */
    PING_TIMEOUT_MS = 10000,
    LARGE_REQUEST_SIZE = 271828,
    LARGE_RESPONSE_SIZE = 314159,
    AGGREGATED_SIZE = 74922,  /* the sum of request_sizes */
    FLOW_CONTROL_MESSAGE_SIZE = 1024 * 1024,
    FLOW_CONTROL_MESSAGES = 4,  /* 4 MiB each way: beyond the 1 MiB initial windows */
};

static const int request_sizes[] = {27182, 8, 1828, 45904};
static const int response_sizes[] = {31415, 9, 2653, 58979};
#define SIZES (sizeof request_sizes / sizeof request_sizes[0])

static const char echo_initial_key[] = "x-grpc-test-echo-initial";
static const char echo_initial_value[] = "test_initial_metadata_value";
static const char echo_trailing_key[] = "x-grpc-test-echo-trailing-bin";
static const uint8_t echo_trailing_value[] = {0xab, 0xab, 0xab};
static const char special_status_message[] =
    "\t\ntest with whitespace\r\nand Unicode BMP \xe2\x98\xba and non-BMP \xf0\x9f\x98\x88\t\n";

/* What a case reports when it fails. */
typedef struct failure {
    char why[512];
} failure;

#define CHECK(condition, ...)                                          \
    do {                                                               \
        if (!(condition)) {                                            \
            snprintf(out->why, sizeof out->why, __VA_ARGS__);          \
            goto done;                                                 \
        }                                                              \
    } while (0)

/* Whether a call ended with `expected` (and `message`, unless NULL); fills `out` when not. */
static bool status_is(frpc_code got, frpc_code expected, const frpc_status *status, const char *message,
                      failure *out) {
    if (got == expected && (message == NULL || strcmp(frpc_status_message(status), message) == 0)) return true;
    snprintf(out->why, sizeof out->why, "expected %s%s%s, got %s: %s", frpc_code_name(expected),
             message != NULL ? " " : "", message != NULL ? message : "", frpc_code_name(got),
             frpc_status_message(status));
    return false;
}

#define CHECK_STATUS(got, expected, status, message)                      \
    do {                                                                  \
        if (!status_is((got), (expected), (status), (message), out)) goto done; \
    } while (0)

static const frpc_call_options default_options = {NULL, CALL_TIMEOUT_MS};

/* A payload of `size` zero bytes; free with free_payload. */
static Framedrpc__Testing__Payload *new_payload(size_t size) {
    Framedrpc__Testing__Payload *payload = malloc(sizeof *payload);
    if (payload == NULL) return NULL;
    framedrpc__testing__payload__init(payload);
    payload->body.len = size;
    payload->body.data = calloc(size + 1, 1);
    if (payload->body.data == NULL) {
        free(payload);
        return NULL;
    }
    return payload;
}

static void free_payload(Framedrpc__Testing__Payload *payload) {
    if (payload == NULL) return;
    free(payload->body.data);
    free(payload);
}

static bool all_zero(const ProtobufCBinaryData *body) {
    for (size_t i = 0; i < body->len; i++) {
        if (body->data[i] != 0) return false;
    }
    return true;
}

static size_t body_size(const Framedrpc__Testing__Payload *payload) {
    return payload != NULL ? payload->body.len : 0;
}

static bool empty_unary(frpc_connection *connection, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    Framedrpc__Testing__Empty request = FRAMEDRPC__TESTING__EMPTY__INIT;
    ProtobufCMessage *response = NULL;
    frpc_code code = frpc_unary(connection, SERVICE "EmptyCall", &default_options, &request.base,
                                &framedrpc__testing__empty__descriptor, &response, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    CHECK(protobuf_c_message_get_packed_size(response) == 0, "EmptyCall returned a non-empty message");
    passed = true;
done:
    if (response != NULL) protobuf_c_message_free_unpacked(response, NULL);
    frpc_status_clear(&status);
    return passed;
}

static bool large_unary(frpc_connection *connection, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    ProtobufCMessage *response = NULL;
    Framedrpc__Testing__SimpleRequest request = FRAMEDRPC__TESTING__SIMPLE_REQUEST__INIT;
    request.response_size = LARGE_RESPONSE_SIZE;
    request.payload = new_payload(LARGE_REQUEST_SIZE);
    CHECK(request.payload != NULL, "out of memory");
    frpc_code code = frpc_unary(connection, SERVICE "UnaryCall", &default_options, &request.base,
                                &framedrpc__testing__simple_response__descriptor, &response, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    const Framedrpc__Testing__SimpleResponse *simple = (const Framedrpc__Testing__SimpleResponse *)response;
    CHECK(body_size(simple->payload) == LARGE_RESPONSE_SIZE && all_zero(&simple->payload->body),
          "expected %d zero bytes, got %zu bytes", LARGE_RESPONSE_SIZE, body_size(simple->payload));
    passed = true;
done:
    if (response != NULL) protobuf_c_message_free_unpacked(response, NULL);
    free_payload(request.payload);
    frpc_status_clear(&status);
    return passed;
}

/* A client-streaming call of `count` requests of `size(i)` bytes; checks the aggregated size. */
static bool stream_in(frpc_connection *connection, size_t count, const int *sizes, int fixed_size,
                      long expected, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    ProtobufCMessage *response = NULL;
    Framedrpc__Testing__StreamingInputCallRequest requests[FLOW_CONTROL_MESSAGES];
    const ProtobufCMessage *pointers[FLOW_CONTROL_MESSAGES];
    size_t made = 0;
    for (; made < count; made++) {
        framedrpc__testing__streaming_input_call_request__init(&requests[made]);
        requests[made].payload = new_payload((size_t)(sizes != NULL ? sizes[made] : fixed_size));
        CHECK(requests[made].payload != NULL, "out of memory");
        pointers[made] = &requests[made].base;
    }
    frpc_code code = frpc_client_streaming(connection, SERVICE "StreamingInputCall", &default_options, pointers,
                                           count, &framedrpc__testing__streaming_input_call_response__descriptor,
                                           &response, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    int32_t aggregated = ((const Framedrpc__Testing__StreamingInputCallResponse *)response)->aggregated_payload_size;
    CHECK(aggregated == expected, "expected aggregated size %ld, got %d", expected, aggregated);
    passed = true;
done:
    if (response != NULL) protobuf_c_message_free_unpacked(response, NULL);
    while (made > 0) free_payload(requests[--made].payload);
    frpc_status_clear(&status);
    return passed;
}

static bool client_streaming(frpc_connection *connection, failure *out) {
    return stream_in(connection, SIZES, request_sizes, 0, AGGREGATED_SIZE, out);
}

/* A server-streaming call asking for responses of `sizes`; checks their sizes and the OK status. */
static bool stream_out(frpc_connection *connection, size_t count, const int *sizes, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    frpc_call *call = NULL;
    Framedrpc__Testing__ResponseParameters parameters[FLOW_CONTROL_MESSAGES];
    Framedrpc__Testing__ResponseParameters *pointers[FLOW_CONTROL_MESSAGES];
    for (size_t i = 0; i < count; i++) {
        framedrpc__testing__response_parameters__init(&parameters[i]);
        parameters[i].size = sizes[i];
        pointers[i] = &parameters[i];
    }
    Framedrpc__Testing__StreamingOutputCallRequest request = FRAMEDRPC__TESTING__STREAMING_OUTPUT_CALL_REQUEST__INIT;
    request.n_response_parameters = count;
    request.response_parameters = pointers;
    frpc_code code = frpc_server_streaming(connection, SERVICE "StreamingOutputCall", &default_options,
                                           &request.base, &call, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    for (size_t received = 0;; received++) {
        ProtobufCMessage *response = NULL;
        code = frpc_call_recv(call, &framedrpc__testing__streaming_output_call_response__descriptor, &response, &status);
        CHECK_STATUS(code, FRPC_OK, &status, NULL);
        if (response == NULL) {
            CHECK(received == count, "expected %zu responses, got %zu", count, received);
            break;
        }
        size_t size = body_size(((const Framedrpc__Testing__StreamingOutputCallResponse *)response)->payload);
        protobuf_c_message_free_unpacked(response, NULL);
        CHECK(received < count && size == (size_t)sizes[received], "response %zu has %zu bytes, expected %d",
              received, size, received < count ? sizes[received] : -1);
    }
    passed = true;
done:
    frpc_call_free(call);
    frpc_status_clear(&status);
    return passed;
}

static bool server_streaming(frpc_connection *connection, failure *out) {
    return stream_out(connection, SIZES, response_sizes, out);
}

/* FullDuplexCall with one request, half-closed when asked; returns the call's final code,
 * with `status` filled. */
static frpc_code full_duplex_once(frpc_connection *connection, const frpc_call_options *options,
                                  Framedrpc__Testing__StreamingOutputCallRequest *request, bool half_close,
                                  size_t *responses, frpc_status *status) {
    frpc_call *call = NULL;
    *responses = 0;
    frpc_code code = frpc_call_start(connection, SERVICE "FullDuplexCall", options, &call, status);
    if (code != FRPC_OK) return code;
    code = frpc_call_send(call, &request->base, status);  /* may find the call already over */
    if (code != FRPC_OK && !frpc_call_done(call)) {        /* a local failure: nothing was sent */
        frpc_call_free(call);
        return code;
    }
    if (half_close) frpc_call_half_close(call, NULL);
    for (;;) {
        ProtobufCMessage *response = NULL;
        code = frpc_call_recv(call, &framedrpc__testing__streaming_output_call_response__descriptor, &response, status);
        if (response == NULL) break;
        (*responses)++;
        protobuf_c_message_free_unpacked(response, NULL);
    }
    frpc_call_free(call);
    return code;
}

static bool status_with_message(frpc_connection *connection, const char *message, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    ProtobufCMessage *response = NULL;
    Framedrpc__Testing__EchoStatus echo = FRAMEDRPC__TESTING__ECHO_STATUS__INIT;
    echo.code = FRPC_UNKNOWN;
    echo.message = (char *)message;
    Framedrpc__Testing__SimpleRequest unary = FRAMEDRPC__TESTING__SIMPLE_REQUEST__INIT;
    unary.response_status = &echo;
    frpc_code code = frpc_unary(connection, SERVICE "UnaryCall", &default_options, &unary.base,
                                &framedrpc__testing__simple_response__descriptor, &response, &status);
    CHECK(response == NULL, "unary: a response came with an error status");
    CHECK_STATUS(code, FRPC_UNKNOWN, &status, message);
    CHECK(!status.local, "unary: the status was decided by the client, not sent by the server");
    Framedrpc__Testing__StreamingOutputCallRequest duplex = FRAMEDRPC__TESTING__STREAMING_OUTPUT_CALL_REQUEST__INIT;
    duplex.response_status = &echo;
    size_t responses = 0;
    code = full_duplex_once(connection, &default_options, &duplex, true, &responses, &status);
    CHECK_STATUS(code, FRPC_UNKNOWN, &status, message);
    passed = true;
done:
    frpc_status_clear(&status);
    return passed;
}

static bool status_code_and_message(frpc_connection *connection, failure *out) {
    return status_with_message(connection, "test status message", out);
}

static bool special_status_message_case(frpc_connection *connection, failure *out) {
    return status_with_message(connection, special_status_message, out);
}

static bool expect_unimplemented(frpc_connection *connection, const char *method, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    ProtobufCMessage *response = NULL;
    Framedrpc__Testing__Empty request = FRAMEDRPC__TESTING__EMPTY__INIT;
    frpc_code code = frpc_unary(connection, method, &default_options, &request.base,
                                &framedrpc__testing__empty__descriptor, &response, &status);
    CHECK_STATUS(code, FRPC_UNIMPLEMENTED, &status, NULL);
    passed = true;
done:
    if (response != NULL) protobuf_c_message_free_unpacked(response, NULL);
    frpc_status_clear(&status);
    return passed;
}

static bool unimplemented_method(frpc_connection *connection, failure *out) {
    return expect_unimplemented(connection, SERVICE "UnimplementedCall", out);
}

static bool unimplemented_service(frpc_connection *connection, failure *out) {
    return expect_unimplemented(connection, "/framedrpc.testing.UnimplementedService/UnimplementedCall", out);
}

static bool timeout_on_sleeping_server(frpc_connection *connection, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    Framedrpc__Testing__StreamingOutputCallRequest request = FRAMEDRPC__TESTING__STREAMING_OUTPUT_CALL_REQUEST__INIT;
    request.payload = new_payload((size_t)request_sizes[0]);
    CHECK(request.payload != NULL, "out of memory");
    const frpc_call_options options = {NULL, 1};
    size_t responses = 0;
    /* Not half-closed: the server waits for more requests until the deadline ends the call. */
    frpc_code code = full_duplex_once(connection, &options, &request, false, &responses, &status);
    CHECK_STATUS(code, FRPC_DEADLINE_EXCEEDED, &status, NULL);
    passed = true;
done:
    free_payload(request.payload);
    frpc_status_clear(&status);
    return passed;
}

static bool custom_metadata(frpc_connection *connection, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    frpc_metadata metadata = {0};
    frpc_call *call = NULL;
    ProtobufCMessage *response = NULL;
    Framedrpc__Testing__SimpleRequest request = FRAMEDRPC__TESTING__SIMPLE_REQUEST__INIT;
    request.response_size = LARGE_RESPONSE_SIZE;
    request.payload = new_payload(LARGE_REQUEST_SIZE);
    CHECK(request.payload != NULL, "out of memory");
    CHECK(frpc_metadata_add_text(&metadata, echo_initial_key, echo_initial_value) == FRPC_OK &&
          frpc_metadata_add_binary(&metadata, echo_trailing_key, echo_trailing_value, sizeof echo_trailing_value) == FRPC_OK,
          "cannot build the request metadata");
    const frpc_call_options options = {&metadata, CALL_TIMEOUT_MS};
    frpc_code code = frpc_call_start(connection, SERVICE "UnaryCall", &options, &call, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    code = frpc_call_send(call, &request.base, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    code = frpc_call_half_close(call, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    code = frpc_call_recv(call, &framedrpc__testing__simple_response__descriptor, &response, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    CHECK(response != NULL, "no response");
    const frpc_metadata *initial = frpc_call_initial_metadata(call);
    const frpc_metadata_entry *echoed = initial != NULL ? frpc_metadata_get(initial, echo_initial_key) : NULL;
    CHECK(echoed != NULL && !echoed->binary && strcmp((const char *)echoed->value, echo_initial_value) == 0,
          "initial metadata not echoed");
    protobuf_c_message_free_unpacked(response, NULL);
    response = NULL;
    code = frpc_call_recv(call, &framedrpc__testing__simple_response__descriptor, &response, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    CHECK(response == NULL, "more than one response");
    echoed = frpc_metadata_get(&status.trailing_metadata, echo_trailing_key);
    CHECK(echoed != NULL && echoed->binary && echoed->value_length == sizeof echo_trailing_value &&
          memcmp(echoed->value, echo_trailing_value, sizeof echo_trailing_value) == 0,
          "trailing metadata not echoed");
    passed = true;
done:
    if (response != NULL) protobuf_c_message_free_unpacked(response, NULL);
    frpc_call_free(call);
    free_payload(request.payload);
    frpc_metadata_clear(&metadata);
    frpc_status_clear(&status);
    return passed;
}

static bool ping_pong(frpc_connection *connection, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    frpc_call *call = NULL;
    ProtobufCMessage *response = NULL;
    frpc_code code = frpc_call_start(connection, SERVICE "FullDuplexCall", &default_options, &call, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    for (size_t i = 0; i < SIZES; i++) {
        Framedrpc__Testing__ResponseParameters parameters = FRAMEDRPC__TESTING__RESPONSE_PARAMETERS__INIT;
        parameters.size = response_sizes[i];
        Framedrpc__Testing__ResponseParameters *pointer = &parameters;
        Framedrpc__Testing__StreamingOutputCallRequest request = FRAMEDRPC__TESTING__STREAMING_OUTPUT_CALL_REQUEST__INIT;
        request.n_response_parameters = 1;
        request.response_parameters = &pointer;
        request.payload = new_payload((size_t)request_sizes[i]);
        CHECK(request.payload != NULL, "out of memory");
        code = frpc_call_send(call, &request.base, &status);
        free_payload(request.payload);
        CHECK_STATUS(code, FRPC_OK, &status, NULL);
        code = frpc_call_recv(call, &framedrpc__testing__streaming_output_call_response__descriptor, &response, &status);
        CHECK_STATUS(code, FRPC_OK, &status, NULL);
        CHECK(response != NULL, "the stream ended after %zu responses", i);
        size_t size = body_size(((const Framedrpc__Testing__StreamingOutputCallResponse *)response)->payload);
        protobuf_c_message_free_unpacked(response, NULL);
        response = NULL;
        CHECK(size == (size_t)response_sizes[i], "expected a %d-byte response, got %zu", response_sizes[i], size);
    }
    code = frpc_call_half_close(call, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    code = frpc_call_recv(call, &framedrpc__testing__streaming_output_call_response__descriptor, &response, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    CHECK(response == NULL, "expected the stream to end after the last response");
    passed = true;
done:
    if (response != NULL) protobuf_c_message_free_unpacked(response, NULL);
    frpc_call_free(call);
    frpc_status_clear(&status);
    return passed;
}

static bool empty_stream(frpc_connection *connection, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    frpc_call *call = NULL;
    ProtobufCMessage *response = NULL;
    frpc_code code = frpc_call_start(connection, SERVICE "FullDuplexCall", &default_options, &call, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    frpc_call_half_close(call, NULL);
    code = frpc_call_recv(call, &framedrpc__testing__streaming_output_call_response__descriptor, &response, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    CHECK(response == NULL, "expected no responses");
    passed = true;
done:
    if (response != NULL) protobuf_c_message_free_unpacked(response, NULL);
    frpc_call_free(call);
    frpc_status_clear(&status);
    return passed;
}

/* Cancels a client-streaming call before sending anything, then checks the connection
 * still serves calls (the server's late frames for the cancelled stream are ignored). */
static bool cancel_after_begin(frpc_connection *connection, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    frpc_call *call = NULL;
    ProtobufCMessage *response = NULL;
    frpc_code code = frpc_call_start(connection, SERVICE "StreamingInputCall", &default_options, &call, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    CHECK(frpc_call_cancel(call), "the call had already ended");
    code = frpc_call_recv(call, &framedrpc__testing__streaming_input_call_response__descriptor, &response, &status);
    CHECK_STATUS(code, FRPC_CANCELLED, &status, NULL);
    frpc_call_free(call);
    call = NULL;
    passed = empty_unary(connection, out);
done:
    if (response != NULL) protobuf_c_message_free_unpacked(response, NULL);
    frpc_call_free(call);
    frpc_status_clear(&status);
    return passed;
}

/* ALPN, then a PING answered by a PONG. */
static bool connection_alpn_and_ping(frpc_connection *connection, failure *out) {
    bool passed = false;
    frpc_status status = FRPC_STATUS_INIT;
    const char *alpn = frpc_connection_alpn(connection);
    CHECK(alpn != NULL && strcmp(alpn, FRPC_ALPN_PROTOCOL) == 0, "ALPN selected %s, expected %s",
          alpn != NULL ? alpn : "nothing", FRPC_ALPN_PROTOCOL);
    uint64_t round_trip_ms = 0;
    frpc_code code = frpc_connection_ping(connection, PING_TIMEOUT_MS, &round_trip_ms, &status);
    CHECK_STATUS(code, FRPC_OK, &status, NULL);
    passed = true;
done:
    frpc_status_clear(&status);
    return passed;
}

/* 4 MiB each way on one call: both sides must return credit (PROTOCOL.md §5) for it to finish. */
static bool flow_control(frpc_connection *connection, failure *out) {
    static const int sizes[FLOW_CONTROL_MESSAGES] = {
        FLOW_CONTROL_MESSAGE_SIZE, FLOW_CONTROL_MESSAGE_SIZE, FLOW_CONTROL_MESSAGE_SIZE, FLOW_CONTROL_MESSAGE_SIZE,
    };
    return stream_in(connection, FLOW_CONTROL_MESSAGES, NULL, FLOW_CONTROL_MESSAGE_SIZE,
                     (long)FLOW_CONTROL_MESSAGES * FLOW_CONTROL_MESSAGE_SIZE, out) &&
           stream_out(connection, FLOW_CONTROL_MESSAGES, sizes, out);
}

typedef struct interop_case {
    const char *name;
    bool (*run)(frpc_connection *, failure *);
} interop_case;

static const interop_case cases[] = {
    {"empty_unary", empty_unary},
    {"large_unary", large_unary},
    {"client_streaming", client_streaming},
    {"server_streaming", server_streaming},
    {"ping_pong", ping_pong},
    {"empty_stream", empty_stream},
    {"custom_metadata", custom_metadata},
    {"status_code_and_message", status_code_and_message},
    {"special_status_message", special_status_message_case},
    {"unimplemented_method", unimplemented_method},
    {"unimplemented_service", unimplemented_service},
    {"cancel_after_begin", cancel_after_begin},
    {"timeout_on_sleeping_server", timeout_on_sleeping_server},
    /* Beyond gRPC's cases: what this protocol adds. */
    {"alpn_and_ping", connection_alpn_and_ping},
    {"flow_control_beyond_the_initial_window", flow_control},
};
#define CASES (sizeof cases / sizeof cases[0])

static int usage(const char *problem) {
    fprintf(stderr, "framedrpc-interop-c: %s\nusage: framedrpc-interop-c --host HOST --port PORT [--ca FILE] "
            "[--server-name NAME] [--plaintext] [--case NAME]...\ncases:", problem);
    for (size_t i = 0; i < CASES; i++) fprintf(stderr, " %s", cases[i].name);
    fprintf(stderr, "\n");
    return 2;
}

static const interop_case *find_case(const char *name) {
    for (size_t i = 0; i < CASES; i++) {
        if (strcmp(cases[i].name, name) == 0) return &cases[i];
    }
    return NULL;
}

int main(int argc, char **argv) {
    const char *host = NULL;
    long port = -1;
    frpc_config config;
    frpc_config_init(&config);
    const interop_case *selected[CASES * 4];
    size_t selected_count = 0;
    for (int i = 1; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--plaintext") == 0) {
            config.plaintext = true;
            continue;
        }
        if (value == NULL) return usage("every option but --plaintext takes a value");
        i++;
        if (strcmp(argv[i - 1], "--host") == 0) host = value;
        else if (strcmp(argv[i - 1], "--port") == 0) port = strtol(value, NULL, 10);
        else if (strcmp(argv[i - 1], "--ca") == 0) config.ca_file = value;
        else if (strcmp(argv[i - 1], "--server-name") == 0) config.server_name = value;
        else if (strcmp(argv[i - 1], "--case") == 0) {
            const interop_case *found = find_case(value);
            if (found == NULL) return usage("unknown case");
            if (selected_count == sizeof selected / sizeof selected[0]) return usage("too many --case options");
            selected[selected_count++] = found;
        } else {
            return usage("unknown option");
        }
    }
    if (host == NULL || port < 1 || port > 65535) return usage("--host and --port (1-65535) are required");
    if (selected_count == 0) {
        for (size_t i = 0; i < CASES; i++) selected[selected_count++] = &cases[i];
    }

    int failed = 0;
    for (size_t i = 0; i < selected_count; i++) {
        failure out = {""};
        frpc_status status = FRPC_STATUS_INIT;
        frpc_connection *connection = NULL;
        bool passed = false;
        if (frpc_connect(host, (uint16_t)port, &config, &connection, &status) != FRPC_OK) {
            snprintf(out.why, sizeof out.why, "connect: %s: %s", frpc_code_name(status.code), frpc_status_message(&status));
        } else {
            passed = selected[i]->run(connection, &out);
        }
        frpc_connection_close(connection);
        frpc_status_clear(&status);
        if (passed) {
            printf("PASS %s\n", selected[i]->name);
        } else {
            printf("FAIL %s: %s\n", selected[i]->name, out.why);
            failed++;
        }
        fflush(stdout);
    }
    printf("%zu cases, %d failed\n", selected_count, failed);
    return failed > 0 ? 1 : 0;
}
