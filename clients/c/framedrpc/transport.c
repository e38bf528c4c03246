#define _GNU_SOURCE /* MSG_NOSIGNAL, SOCK_NONBLOCK, SOCK_CLOEXEC */
#include "transport.h"
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The forward-secret AEAD suites the server accepts with TLS 1.2 (PROTOCOL.md §1);
 * TLS 1.3 suites are not affected by this list. */
static const char tls12_ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/* The state the socket BIO below keeps: which socket, and whether it saw EOF. */
typedef struct socket_bio {
    int fd;
    bool eof;
} socket_bio;

/* Waits until `fd` is ready for `events` or `deadline` passes. */
static frpc_io_result wait_for(int fd, short events, int64_t deadline) {
    for (;;) {
        int timeout = -1;
        if (deadline != FRPC_NO_DEADLINE) {
            int64_t left = deadline - frpc_now_ms();
            if (left <= 0) return FRPC_IO_TIMEOUT;
            timeout = left > INT_MAX ? INT_MAX : (int)left;
        }
        struct pollfd poller = {fd, events, 0};
        int ready = poll(&poller, 1, timeout);
        if (ready > 0) return FRPC_IO_OK;  /* errors and hang-ups show in the next read or write */
        if (ready < 0 && errno != EINTR) return FRPC_IO_ERROR;
    }
}

/* A socket BIO that writes with MSG_NOSIGNAL: OpenSSL's own uses write(), which raises
 * SIGPIPE on a closed connection, and a library must not change the process's signals. */
static int bio_write(BIO *bio, const char *data, int length) {
    socket_bio *state = BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    ssize_t sent = send(state->fd, data, (size_t)length, MSG_NOSIGNAL);
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_write(bio);
    return (int)sent;
}

static int bio_read(BIO *bio, char *data, int length) {
    socket_bio *state = BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    ssize_t received = recv(state->fd, data, (size_t)length, 0);
    if (received == 0) state->eof = true;
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_read(bio);
    return (int)received;
}

static long bio_ctrl(BIO *bio, int command, long number, void *pointer) {
    (void)number;
    (void)pointer;
    socket_bio *state = BIO_get_data(bio);
    switch (command) {
    case BIO_CTRL_FLUSH: return 1;
    case BIO_CTRL_EOF: return state->eof;
    default: return 0;
    }
}

static int bio_create(BIO *bio) {
    BIO_set_init(bio, 1);
    return 1;
}

static int bio_destroy(BIO *bio) {
    free(BIO_get_data(bio));
    BIO_set_data(bio, NULL);
    return 1;
}

static BIO *new_socket_bio(frpc_transport *transport) {
    transport->bio_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "framedrpc socket");
    if (transport->bio_method == NULL) return NULL;
    BIO_meth_set_write(transport->bio_method, bio_write);
    BIO_meth_set_read(transport->bio_method, bio_read);
    BIO_meth_set_ctrl(transport->bio_method, bio_ctrl);
    BIO_meth_set_create(transport->bio_method, bio_create);
    BIO_meth_set_destroy(transport->bio_method, bio_destroy);
    BIO *bio = BIO_new(transport->bio_method);
    socket_bio *state = malloc(sizeof *state);
    if (bio == NULL || state == NULL) {
        BIO_free(bio);
        free(state);
        return NULL;
    }
    *state = (socket_bio){transport->fd, false};
    BIO_set_data(bio, state);
    return bio;
}

/* Describes the last OpenSSL error (or errno) after `what` failed. */
static void describe_ssl_error(const char *what, char *error, size_t size) {
    unsigned long code = ERR_peek_last_error();
    if (code != 0) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        snprintf(error, size, "%s: %s", what, text);
    } else if (errno != 0) {
        snprintf(error, size, "%s: %s", what, strerror(errno));
    } else {
        snprintf(error, size, "%s: the connection was closed", what);
    }
}

static frpc_code connect_socket(frpc_transport *transport, const char *host, uint16_t port,
                                int64_t deadline, frpc_status *status) {
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *addresses = NULL;
    int resolved = getaddrinfo(host, service, &hints, &addresses);
    if (resolved != 0) {
        return frpc_fail(status, FRPC_UNAVAILABLE, "cannot resolve %s: %s", host, gai_strerror(resolved));
    }
    char last_error[160] = "no address";
    for (struct addrinfo *address = addresses; address != NULL; address = address->ai_next) {
        int fd = socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        address->ai_protocol);
        if (fd < 0) {
            snprintf(last_error, sizeof last_error, "socket: %s", strerror(errno));
            continue;
        }
        int error = 0;
        if (connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
            error = errno;
            if (error == EINPROGRESS) {
                socklen_t length = sizeof error;
                frpc_io_result waited = wait_for(fd, POLLOUT, deadline);
                if (waited == FRPC_IO_TIMEOUT) error = ETIMEDOUT;
                else if (waited != FRPC_IO_OK || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
            }
        }
        if (error == 0) {
            int on = 1;  /* frames are small; do not wait to coalesce them */
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            transport->fd = fd;
            freeaddrinfo(addresses);
            return FRPC_OK;
        }
        snprintf(last_error, sizeof last_error, "%s", strerror(error));
        close(fd);
    }
    freeaddrinfo(addresses);
    return frpc_fail(status, FRPC_UNAVAILABLE, "cannot connect to %s:%u: %s", host, port, last_error);
}

static frpc_code configure_context(frpc_transport *transport, const frpc_config *config, frpc_status *status) {
    char error[320];
    SSL_CTX *context = transport->context = SSL_CTX_new(TLS_client_method());
    if (context == NULL) return frpc_fail(status, FRPC_INTERNAL, "SSL_CTX_new failed");
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, NULL);
    if (SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(context, tls12_ciphers) != 1) {
        describe_ssl_error("configuring TLS", error, sizeof error);
        return frpc_fail(status, FRPC_INTERNAL, "%s", error);
    }
    uint8_t alpn[1 + sizeof FRPC_ALPN_PROTOCOL];
    alpn[0] = (uint8_t)(sizeof FRPC_ALPN_PROTOCOL - 1);
    memcpy(alpn + 1, FRPC_ALPN_PROTOCOL, sizeof FRPC_ALPN_PROTOCOL - 1);
    if (SSL_CTX_set_alpn_protos(context, alpn, sizeof alpn - 1) != 0) {  /* 0 is success here */
        return frpc_fail(status, FRPC_INTERNAL, "cannot offer ALPN %s", FRPC_ALPN_PROTOCOL);
    }
    int loaded = config->ca_file != NULL ? SSL_CTX_load_verify_locations(context, config->ca_file, NULL)
                                         : SSL_CTX_set_default_verify_paths(context);
    if (loaded != 1) {
        describe_ssl_error("loading the trusted CAs", error, sizeof error);
        return frpc_fail(status, FRPC_INVALID_ARGUMENT, "%s (ca_file %s): give a readable PEM file",
                         error, config->ca_file != NULL ? config->ca_file : "NULL: system default");
    }
    if (config->cert_file == NULL && config->key_file != NULL) {
        return frpc_fail(status, FRPC_INVALID_ARGUMENT, "key_file is set without cert_file: set both for mutual TLS");
    }
    if (config->cert_file != NULL) {
        const char *key_file = config->key_file != NULL ? config->key_file : config->cert_file;
        if (SSL_CTX_use_certificate_chain_file(context, config->cert_file) != 1 ||
            SSL_CTX_use_PrivateKey_file(context, key_file, SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(context) != 1) {
            describe_ssl_error("loading the client certificate", error, sizeof error);
            return frpc_fail(status, FRPC_INVALID_ARGUMENT, "%s (cert_file %s, key_file %s)",
                             error, config->cert_file, key_file);
        }
    }
    return FRPC_OK;
}

/* Names the certificate must match: an IP address, or a DNS name that is also sent as SNI. */
static frpc_code set_server_name(SSL *ssl, const char *name, frpc_status *status) {
    unsigned char address[sizeof(struct in6_addr)];
    bool is_ip = inet_pton(AF_INET, name, address) == 1 || inet_pton(AF_INET6, name, address) == 1;
    int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name)
                   : SSL_set1_host(ssl, name) && SSL_set_tlsext_host_name(ssl, name);
    return ok == 1 ? FRPC_OK : frpc_fail(status, FRPC_INVALID_ARGUMENT, "cannot verify against server name '%s'", name);
}

static frpc_code handshake(frpc_transport *transport, const char *name, int64_t deadline, frpc_status *status) {
    char error[320];
    for (;;) {
        ERR_clear_error();
        errno = 0;
        int result = SSL_connect(transport->ssl);
        if (result == 1) break;
        int reason = SSL_get_error(transport->ssl, result);
        frpc_io_result waited = reason == SSL_ERROR_WANT_READ ? wait_for(transport->fd, POLLIN, deadline)
                              : reason == SSL_ERROR_WANT_WRITE ? wait_for(transport->fd, POLLOUT, deadline)
                              : FRPC_IO_ERROR;
        if (waited == FRPC_IO_OK) continue;
        SSL_set_quiet_shutdown(transport->ssl, 1);
        if (waited == FRPC_IO_TIMEOUT) return frpc_fail(status, FRPC_UNAVAILABLE, "TLS handshake with %s timed out", name);
        long verified = SSL_get_verify_result(transport->ssl);
        if (verified != X509_V_OK) {
            return frpc_fail(status, FRPC_UNAVAILABLE,
                             "TLS handshake with %s failed: server certificate rejected: %s (check the CA file "
                             "and that the certificate names %s)", name, X509_verify_cert_error_string(verified), name);
        }
        describe_ssl_error("TLS handshake failed", error, sizeof error);
        return frpc_fail(status, FRPC_UNAVAILABLE, "%s with %s", error, name);
    }
    const unsigned char *selected = NULL;
    unsigned int length = 0;
    SSL_get0_alpn_selected(transport->ssl, &selected, &length);
    if (selected != NULL && length < sizeof transport->alpn) {
        memcpy(transport->alpn, selected, length);
        transport->alpn[length] = '\0';
    }
    return FRPC_OK;
}

static frpc_code secure(frpc_transport *transport, const char *host, const frpc_config *config,
                        int64_t deadline, frpc_status *status) {
    frpc_code code = configure_context(transport, config, status);
    if (code != FRPC_OK) return code;
    transport->ssl = SSL_new(transport->context);
    BIO *bio = transport->ssl != NULL ? new_socket_bio(transport) : NULL;
    if (bio == NULL) return frpc_fail(status, FRPC_RESOURCE_EXHAUSTED, "out of memory setting up TLS");
    SSL_set_bio(transport->ssl, bio, bio);
    const char *name = config->server_name != NULL ? config->server_name : host;
    code = set_server_name(transport->ssl, name, status);
    return code != FRPC_OK ? code : handshake(transport, name, deadline, status);
}

frpc_code frpc_transport_connect(frpc_transport *transport, const char *host, uint16_t port,
                                 const frpc_config *config, int64_t deadline, frpc_status *status) {
    memset(transport, 0, sizeof *transport);
    transport->fd = -1;
    frpc_code code = connect_socket(transport, host, port, deadline, status);
    if (code == FRPC_OK && !config->plaintext) code = secure(transport, host, config, deadline, status);
    if (code != FRPC_OK) frpc_transport_close(transport);
    return code;
}

static frpc_io_result plain_read(frpc_transport *transport, uint8_t *buffer, size_t capacity,
                                 size_t *received, int64_t deadline, char *error, size_t error_size) {
    for (;;) {
        ssize_t count = recv(transport->fd, buffer, capacity, 0);
        if (count > 0) {
            *received = (size_t)count;
            return FRPC_IO_OK;
        }
        if (count == 0) return FRPC_IO_CLOSED;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            snprintf(error, error_size, "reading from the server failed: %s", strerror(errno));
            return FRPC_IO_ERROR;
        }
        frpc_io_result waited = wait_for(transport->fd, POLLIN, deadline);
        if (waited != FRPC_IO_OK) return waited;
    }
}

static frpc_io_result plain_write(frpc_transport *transport, const uint8_t *data, size_t length,
                                  int64_t deadline, char *error, size_t error_size) {
    size_t written = 0;
    while (written < length) {
        ssize_t count = send(transport->fd, data + written, length - written, MSG_NOSIGNAL);
        if (count >= 0) {
            written += (size_t)count;
            continue;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            snprintf(error, error_size, "writing to the server failed: %s", strerror(errno));
            return FRPC_IO_ERROR;
        }
        frpc_io_result waited = wait_for(transport->fd, POLLOUT, deadline);
        if (waited != FRPC_IO_OK) return waited;
    }
    return FRPC_IO_OK;
}

/* What an SSL_read_ex or SSL_write_ex that returned `result` means, waiting when it
 * asks to; FRPC_IO_OK means "try again". */
static frpc_io_result after_ssl_io(frpc_transport *transport, int result, int64_t deadline,
                                   const char *what, char *error, size_t error_size) {
    int reason = SSL_get_error(transport->ssl, result);
    switch (reason) {
    case SSL_ERROR_WANT_READ: return wait_for(transport->fd, POLLIN, deadline);
    case SSL_ERROR_WANT_WRITE: return wait_for(transport->fd, POLLOUT, deadline);
    case SSL_ERROR_ZERO_RETURN: return FRPC_IO_CLOSED;
    case SSL_ERROR_SYSCALL:  /* fatal: no close_notify may follow */
        SSL_set_quiet_shutdown(transport->ssl, 1);
        if (errno == 0 && ERR_peek_error() == 0) return FRPC_IO_CLOSED;
        break;
    case SSL_ERROR_SSL:
        SSL_set_quiet_shutdown(transport->ssl, 1);
        if (ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) return FRPC_IO_CLOSED;
        break;
    default: break;
    }
    describe_ssl_error(what, error, error_size);
    return FRPC_IO_ERROR;
}

frpc_io_result frpc_transport_read(frpc_transport *transport, uint8_t *buffer, size_t capacity,
                                   size_t *received, int64_t deadline, char *error, size_t error_size) {
    if (transport->ssl == NULL) return plain_read(transport, buffer, capacity, received, deadline, error, error_size);
    for (;;) {
        ERR_clear_error();
        errno = 0;
        int result = SSL_read_ex(transport->ssl, buffer, capacity, received);
        if (result == 1) return FRPC_IO_OK;
        frpc_io_result next = after_ssl_io(transport, result, deadline, "reading from the server failed", error, error_size);
        if (next != FRPC_IO_OK) return next;
    }
}

frpc_io_result frpc_transport_write(frpc_transport *transport, const uint8_t *data, size_t length,
                                    int64_t deadline, char *error, size_t error_size) {
    if (transport->ssl == NULL) return plain_write(transport, data, length, deadline, error, error_size);
    size_t written = 0;
    while (written < length) {
        ERR_clear_error();
        errno = 0;
        size_t count = 0;
        int result = SSL_write_ex(transport->ssl, data + written, length - written, &count);
        if (result == 1) {
            written += count;
            continue;
        }
        frpc_io_result next = after_ssl_io(transport, result, deadline, "writing to the server failed", error, error_size);
        if (next == FRPC_IO_CLOSED) {
            snprintf(error, error_size, "writing to the server failed: the server closed the connection");
            return FRPC_IO_ERROR;
        }
        if (next != FRPC_IO_OK) return next;
    }
    return FRPC_IO_OK;
}

void frpc_transport_close(frpc_transport *transport) {
    if (transport->ssl != NULL) {
        ERR_clear_error();
        SSL_shutdown(transport->ssl);  /* one non-blocking try at close_notify; skipped when quiet */
        SSL_free(transport->ssl);      /* frees the BIO too */
        transport->ssl = NULL;
    }
    SSL_CTX_free(transport->context);
    transport->context = NULL;
    BIO_meth_free(transport->bio_method);
    transport->bio_method = NULL;
    if (transport->fd >= 0) close(transport->fd);
    transport->fd = -1;
    ERR_clear_error();
}
