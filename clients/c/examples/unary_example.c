/*
 * The example of docs/clients/c.md: one unary call, with a deadline, to the interop server.
 *
 *   unary-example HOST PORT CA_FILE
 */
#include "framedrpc.h"
#include "framedrpc/testing/messages.pb-c.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: unary-example HOST PORT CA_FILE\n");
        return 2;
    }
    frpc_config config;
    frpc_config_init(&config);
    config.ca_file = argv[3];

    frpc_status status = FRPC_STATUS_INIT;
    frpc_connection *connection = NULL;
    if (frpc_connect(argv[1], (uint16_t)atoi(argv[2]), &config, &connection, &status) != FRPC_OK) {
        fprintf(stderr, "connect: %s: %s\n", frpc_code_name(status.code), frpc_status_message(&status));
        frpc_status_clear(&status);
        return 1;
    }

    Framedrpc__Testing__SimpleRequest request = FRAMEDRPC__TESTING__SIMPLE_REQUEST__INIT;
    request.response_size = 16;
    const frpc_call_options options = {.timeout_ms = 5000};
    ProtobufCMessage *response = NULL;
    frpc_code code = frpc_unary(connection, "/framedrpc.testing.TestService/UnaryCall", &options,
                                &request.base, &framedrpc__testing__simple_response__descriptor,
                                &response, &status);
    if (code == FRPC_OK) {
        const Framedrpc__Testing__SimpleResponse *simple = (const Framedrpc__Testing__SimpleResponse *)response;
        printf("got %zu bytes\n", simple->payload != NULL ? simple->payload->body.len : 0);
        protobuf_c_message_free_unpacked(response, NULL);
    } else {
        fprintf(stderr, "UnaryCall: %s: %s\n", frpc_code_name(code), frpc_status_message(&status));
    }
    frpc_status_clear(&status);
    frpc_connection_close(connection);
    return code == FRPC_OK ? 0 : 1;
}
