/*
 * A byte stream to the server: TCP, secured with OpenSSL unless plaintext.
 * The socket is non-blocking; every read and write waits with poll() until a
 * deadline, so no operation outlives the deadline it is given.
 */
#ifndef FRAMEDRPC_TRANSPORT_H
#define FRAMEDRPC_TRANSPORT_H

#include "framedrpc.h"

#include <openssl/ssl.h>
#include <stddef.h>
#include <stdint.h>

typedef struct frpc_transport {
    int fd;
    SSL_CTX *context;
    SSL *ssl;             /* NULL for plaintext */
    BIO_METHOD *bio_method;
    char alpn[64];        /* the protocol the server selected, "" if none */
} frpc_transport;

typedef enum frpc_io_result {
    FRPC_IO_OK,
    FRPC_IO_TIMEOUT,  /* the deadline passed first; the stream is still usable for reads */
    FRPC_IO_CLOSED,   /* the server closed the connection */
    FRPC_IO_ERROR,    /* see the message */
} frpc_io_result;

/** Connects to host:port and, unless config->plaintext, completes the TLS handshake
 *  (TLS 1.2 minimum, certificate and name verified, ALPN offered), by `deadline`
 *  (frpc_now_ms milliseconds). On failure fills `status` and leaves nothing open. */
frpc_code frpc_transport_connect(frpc_transport *transport, const char *host, uint16_t port,
                                 const frpc_config *config, int64_t deadline, frpc_status *status);

/** Reads at most `capacity` bytes (at least 1 on FRPC_IO_OK) into `buffer`. */
frpc_io_result frpc_transport_read(frpc_transport *transport, uint8_t *buffer, size_t capacity,
                                   size_t *received, int64_t deadline, char *error, size_t error_size);

/** Writes all `length` bytes. A timeout leaves the stream unusable. */
frpc_io_result frpc_transport_write(frpc_transport *transport, const uint8_t *data, size_t length,
                                    int64_t deadline, char *error, size_t error_size);

/** Sends TLS close_notify (best effort), closes the socket and frees everything. Idempotent. */
void frpc_transport_close(frpc_transport *transport);

#endif /* FRAMEDRPC_TRANSPORT_H */
