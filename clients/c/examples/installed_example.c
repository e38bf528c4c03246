/*
 * A program built against the installed library with nothing but
 * `cc installed_example.c $(pkg-config --cflags --libs framedrpc)` (docs/clients/c.md, Install;
 * Tests/c/run.sh builds it so). It makes a client config, packs a request of a generated type
 * and prints the library's version; it connects nowhere.
 */
#include "framedrpc.h"
#include "framedrpc/testing/messages.pb-c.h"

#include <stdio.h>
#include <string.h>

int main(void) {
    if (strcmp(frpc_version(), FRPC_VERSION) != 0) {
        fprintf(stderr, "framedrpc.h is version %s but the library linked is %s\n", FRPC_VERSION,
                frpc_version());
        return 1;
    }
    frpc_config config;
    frpc_config_init(&config);
    Framedrpc__Testing__SimpleRequest request = FRAMEDRPC__TESTING__SIMPLE_REQUEST__INIT;
    request.response_size = 16;
    printf("framedrpc %s: frames up to %u bytes, a %zu-byte SimpleRequest\n", frpc_version(),
           config.max_frame_size, protobuf_c_message_get_packed_size(&request.base));
    return 0;
}
