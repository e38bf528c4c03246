/* Unary, server-streaming and client-streaming calls over the call API. */
#include "connection.h"

/* Receives the one response of a unary or client-streaming call, then its status. */
static frpc_code receive_single(frpc_call *call, const ProtobufCMessageDescriptor *response_type,
                                ProtobufCMessage **response, frpc_status *status) {
    frpc_code code = frpc_call_recv(call, response_type, response, status);
    if (code != FRPC_OK) return code;
    if (*response == NULL) {
        return frpc_fail(status, FRPC_INTERNAL, "%s ended OK without a response", call->method);
    }
    ProtobufCMessage *extra = NULL;
    code = frpc_call_recv(call, response_type, &extra, status);
    if (code == FRPC_OK && extra != NULL) {
        protobuf_c_message_free_unpacked(extra, NULL);
        code = frpc_fail(status, FRPC_INTERNAL, "%s sent more than one response", call->method);
    }
    if (code != FRPC_OK) {
        protobuf_c_message_free_unpacked(*response, NULL);
        *response = NULL;
    }
    return code;
}

frpc_code frpc_client_streaming(frpc_connection *connection, const char *method,
                                const frpc_call_options *options,
                                const ProtobufCMessage *const *requests, size_t count,
                                const ProtobufCMessageDescriptor *response_type,
                                ProtobufCMessage **response, frpc_status *status) {
    *response = NULL;
    frpc_call *call = NULL;
    frpc_code code = frpc_call_start(connection, method, options, &call, status);
    if (code != FRPC_OK) return code;
    /* The last MESSAGE stays queued, to go out with HALF_CLOSE (and, for one request, HEADERS). */
    for (size_t i = 0; i < count && code == FRPC_OK && !call->ended; i++) {
        code = frpc_call_send_message(call, requests[i], i + 1 < count, status);
    }
    if (code != FRPC_OK && !call->ended) {  /* a local failure, such as a too-large request */
        frpc_call_free(call);
        return code;
    }
    frpc_call_half_close(call, NULL);  /* a no-op once ended; an ended call tells its status through recv */
    code = receive_single(call, response_type, response, status);
    frpc_call_free(call);
    return code;
}

frpc_code frpc_unary(frpc_connection *connection, const char *method,
                     const frpc_call_options *options, const ProtobufCMessage *request,
                     const ProtobufCMessageDescriptor *response_type,
                     ProtobufCMessage **response, frpc_status *status) {
    const ProtobufCMessage *requests[] = {request};
    return frpc_client_streaming(connection, method, options, requests, 1, response_type, response, status);
}

frpc_code frpc_server_streaming(frpc_connection *connection, const char *method,
                                const frpc_call_options *options,
                                const ProtobufCMessage *request, frpc_call **call,
                                frpc_status *status) {
    frpc_code code = frpc_call_start(connection, method, options, call, status);
    if (code != FRPC_OK) return code;
    code = frpc_call_send_message(*call, request, false, status);
    if (code == FRPC_OK) code = frpc_call_half_close(*call, status);
    if (code != FRPC_OK && !(*call)->ended) {  /* a local failure such as a too-large request */
        frpc_call_free(*call);
        *call = NULL;
        return code;
    }
    frpc_status_clear(status);  /* an ended call reports its status through frpc_call_recv */
    return FRPC_OK;
}
