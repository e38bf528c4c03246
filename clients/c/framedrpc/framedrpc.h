/*
 * FramedRPC client for C, on OpenSSL and protobuf-c: the client side of
 * docs/PROTOCOL.md (version 1).
 *
 * Guarantees:
 * - TLS 1.2 or newer; the server certificate is verified against the CA file
 *   (or the system's CAs) and the host name or IP address; ALPN offers
 *   "framedrpc/1".
 * - One call at a time per connection: a new call may start once the previous
 *   one has ended. The connection answers the server's PING, honours GOAWAY
 *   and both flow-control windows while a call waits.
 * - Every blocking function returns by the call's deadline (when it has one),
 *   and writes give up after the configured write timeout.
 * - Blocking, single-threaded: a connection and its calls belong to one thread
 *   at a time. No global state is changed (SIGPIPE is avoided per write).
 *
 * Errors: every fallible function returns an frpc_code, FRPC_OK on success,
 * and, when given a non-NULL frpc_status, fills it with the code and a message
 * saying what went wrong. The codes are the protocol's canonical codes; errors
 * decided by the client use them as the Swift and Python clients do
 * (UNAVAILABLE: connecting failed or the connection was lost; INTERNAL: the
 * server broke the protocol; DEADLINE_EXCEEDED: the call's deadline passed;
 * INVALID_ARGUMENT: a bad argument; RESOURCE_EXHAUSTED: out of memory).
 * A function taking an frpc_status clears what it held before filling it, so
 * one frpc_status may be reused; frpc_status_clear frees it at the end.
 */
#ifndef FRAMEDRPC_H
#define FRAMEDRPC_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ALPN protocol id the client offers (PROTOCOL.md §1). */
#define FRPC_ALPN_PROTOCOL "framedrpc/1"

/** The library's version, MAJOR.MINOR.PATCH. The CMake build (clients/c/CMakeLists.txt) and
 *  its framedrpc.pc take theirs from this line. */
#define FRPC_VERSION "0.1.0"

/** The version of the library linked in: FRPC_VERSION as it was when the library was built.
 *  A program can compare the two to catch headers of one build linked with another. */
const char *frpc_version(void);

/** The canonical status codes (PROTOCOL.md §4.4). */
typedef enum frpc_code {
    FRPC_OK = 0,
    FRPC_CANCELLED = 1,
    FRPC_UNKNOWN = 2,
    FRPC_INVALID_ARGUMENT = 3,
    FRPC_DEADLINE_EXCEEDED = 4,
    FRPC_NOT_FOUND = 5,
    FRPC_ALREADY_EXISTS = 6,
    FRPC_PERMISSION_DENIED = 7,
    FRPC_RESOURCE_EXHAUSTED = 8,
    FRPC_FAILED_PRECONDITION = 9,
    FRPC_ABORTED = 10,
    FRPC_OUT_OF_RANGE = 11,
    FRPC_UNIMPLEMENTED = 12,
    FRPC_INTERNAL = 13,
    FRPC_UNAVAILABLE = 14,
    FRPC_DATA_LOSS = 15,
    FRPC_UNAUTHENTICATED = 16,
} frpc_code;

/** The code's name, e.g. "DEADLINE_EXCEEDED"; "UNKNOWN" for a value above 16. */
const char *frpc_code_name(frpc_code code);

/* ---- Metadata (PROTOCOL.md §6) ---------------------------------------- */

/** One entry. `value` holds `value_length` bytes followed by a NUL, so a text
 *  value is also a C string. `binary` is true exactly when the key ends in "-bin". */
typedef struct frpc_metadata_entry {
    char *key;
    uint8_t *value;
    size_t value_length;
    bool binary;
} frpc_metadata_entry;

/** An ordered list of entries; keys may repeat. Zero-initialise it
 *  (`frpc_metadata m = {0};`) and free it with frpc_metadata_clear. */
typedef struct frpc_metadata {
    frpc_metadata_entry *entries;
    size_t count;
    size_t capacity;
} frpc_metadata;

/** Appends a text entry. INVALID_ARGUMENT when the key is not 1-255 bytes of
 *  [a-z0-9-_.], ends in "-bin", or the value is not given; RESOURCE_EXHAUSTED
 *  when out of memory. */
frpc_code frpc_metadata_add_text(frpc_metadata *metadata, const char *key, const char *value);

/** Appends a binary entry; the key must end in "-bin" (else INVALID_ARGUMENT). */
frpc_code frpc_metadata_add_binary(frpc_metadata *metadata, const char *key,
                                   const uint8_t *value, size_t length);

/** The first entry with this key, or NULL. */
const frpc_metadata_entry *frpc_metadata_get(const frpc_metadata *metadata, const char *key);

/** Frees every entry; the list is empty (and reusable) afterwards. */
void frpc_metadata_clear(frpc_metadata *metadata);

/* ---- Status ------------------------------------------------------------ */

/** How an operation or a call ended. Initialise with FRPC_STATUS_INIT. */
typedef struct frpc_status {
    frpc_code code;
    /** UTF-8 text for a person; NULL means empty (see frpc_status_message). */
    char *message;
    /** The server's trailing metadata (empty for errors decided by the client). */
    frpc_metadata trailing_metadata;
    /** True when the client decided the status (deadline, lost connection,
     *  cancel, bad argument), false when the server sent it. */
    bool local;
} frpc_status;

#define FRPC_STATUS_INIT {FRPC_OK, NULL, {NULL, 0, 0}, false}

/** The message, never NULL. */
const char *frpc_status_message(const frpc_status *status);

/** Frees the message and metadata and resets to OK. NULL is allowed. */
void frpc_status_clear(frpc_status *status);

/* ---- Connections ------------------------------------------------------- */

/** How to connect. frpc_config_init sets the defaults:
 *  - ca_file = NULL: trust the system's default CAs; else a PEM bundle.
 *  - cert_file / key_file = NULL: no client certificate (set both for mutual TLS;
 *    key_file may stay NULL when the key is inside cert_file).
 *  - server_name = NULL: verify the certificate against the host passed to
 *    frpc_connect (a DNS name, also sent as SNI, or an IP address).
 *  - plaintext = false: TLS. true is for loopback tests only.
 *  - connect_timeout_ms = 10,000 ms: TCP connect, TLS handshake and preface exchange.
 *  - write_timeout_ms = 30,000 ms: a write that cannot finish within it fails the
 *    connection (the server is not reading).
 *  - max_frame_size = 4,194,304 bytes (4 MiB): the largest frame payload accepted
 *    from the server and the largest message sent (the server's default limit).
 */
typedef struct frpc_config {
    const char *ca_file;
    const char *cert_file;
    const char *key_file;
    const char *server_name;
    bool plaintext;
    uint32_t connect_timeout_ms;
    uint32_t write_timeout_ms;
    uint32_t max_frame_size;
} frpc_config;

/** Fills `config` with the defaults listed at frpc_config. */
void frpc_config_init(frpc_config *config);

typedef struct frpc_connection frpc_connection;

/** Connects to host:port, secures the connection and exchanges prefaces.
 *  On FRPC_OK, *connection is set; close it with frpc_connection_close.
 *  UNAVAILABLE when the server cannot be reached, the TLS handshake fails
 *  (an untrusted or mismatched certificate, say) or the server's preface is wrong;
 *  INVALID_ARGUMENT for bad configuration files. */
frpc_code frpc_connect(const char *host, uint16_t port, const frpc_config *config,
                       frpc_connection **connection, frpc_status *status);

/** The ALPN protocol the server selected ("framedrpc/1"), or NULL if none. */
const char *frpc_connection_alpn(const frpc_connection *connection);

/** Sends a PING and waits up to timeout_ms for its PONG; *round_trip_ms (may be
 *  NULL) receives the time it took. DEADLINE_EXCEEDED when no PONG arrives in
 *  time; UNAVAILABLE or INTERNAL when the connection fails first. Frames of the
 *  open call that arrive meanwhile are kept for it. */
frpc_code frpc_connection_ping(frpc_connection *connection, uint32_t timeout_ms,
                               uint64_t *round_trip_ms, frpc_status *status);

/** Closes the TLS session and the socket and frees the connection. Free its
 *  calls first (frpc_call_free). NULL is allowed. */
void frpc_connection_close(frpc_connection *connection);

/* ---- Calls ------------------------------------------------------------- */

/** Options of one call. Zero-initialise for none. */
typedef struct frpc_call_options {
    /** Request metadata, or NULL. Copied into the HEADERS frame when the call starts. */
    const frpc_metadata *metadata;
    /** Time the call may take, in milliseconds, sent to the server and enforced
     *  here (DEADLINE_EXCEEDED and a CANCEL); 0 for no deadline. */
    uint64_t timeout_ms;
} frpc_call_options;

typedef struct frpc_call frpc_call;

/** Opens a call to `method` ("/package.Service/Method"). On FRPC_OK, *call is
 *  set; free it with frpc_call_free. FAILED_PRECONDITION while another call on
 *  the connection has not ended; UNAVAILABLE once the connection failed or the
 *  server sent GOAWAY; INVALID_ARGUMENT for a method not of the form /service/method. */
frpc_code frpc_call_start(frpc_connection *connection, const char *method,
                          const frpc_call_options *options, frpc_call **call,
                          frpc_status *status);

/** Sends one request message, waiting while the call's send window is closed.
 *  When the call has already ended, sends nothing and returns how it ended (the
 *  same status frpc_call_recv gives). FAILED_PRECONDITION after half-close;
 *  INVALID_ARGUMENT for a message larger than the frame limit. */
frpc_code frpc_call_send(frpc_call *call, const ProtobufCMessage *request, frpc_status *status);

/** Tells the server no more requests follow. Idempotent; a no-op once the call ended. */
frpc_code frpc_call_half_close(frpc_call *call, frpc_status *status);

/** Receives the next response into *response (free it with
 *  protobuf_c_message_free_unpacked(*response, NULL)). Returns FRPC_OK with
 *  *response == NULL once the call ended with OK; `status` then holds the
 *  trailing metadata. Otherwise returns the call's code: messages the server
 *  sent before an error status are delivered first; none are after a local end.
 *  INTERNAL (and the call is cancelled) when a response does not decode as `type`. */
frpc_code frpc_call_recv(frpc_call *call, const ProtobufCMessageDescriptor *type,
                         ProtobufCMessage **response, frpc_status *status);

/** Abandons the call: it ends with CANCELLED and the server is told so.
 *  Returns false when the call had already ended. */
bool frpc_call_cancel(frpc_call *call);

/** The response's initial metadata, or NULL while it is not known yet (the
 *  first response or the status makes it known; empty when the server sent none). */
const frpc_metadata *frpc_call_initial_metadata(const frpc_call *call);

/** True once the call has ended. */
bool frpc_call_done(const frpc_call *call);

/** Frees the call, cancelling it first when it has not ended. NULL is allowed. */
void frpc_call_free(frpc_call *call);

/* ---- Conveniences over the call API ------------------------------------ */

/** A unary call: one request, one response. On FRPC_OK, *response is set
 *  (free it with protobuf_c_message_free_unpacked) and `status` holds the
 *  trailing metadata; otherwise *response is NULL. A call that ends OK without
 *  exactly one response is INTERNAL. */
frpc_code frpc_unary(frpc_connection *connection, const char *method,
                     const frpc_call_options *options, const ProtobufCMessage *request,
                     const ProtobufCMessageDescriptor *response_type,
                     ProtobufCMessage **response, frpc_status *status);

/** Starts a server-streaming call: sends the one request and half-closes.
 *  Read the responses with frpc_call_recv until it returns no message. */
frpc_code frpc_server_streaming(frpc_connection *connection, const char *method,
                                const frpc_call_options *options,
                                const ProtobufCMessage *request, frpc_call **call,
                                frpc_status *status);

/** A client-streaming call: sends `count` requests, half-closes, and receives
 *  the one response as frpc_unary does. */
frpc_code frpc_client_streaming(frpc_connection *connection, const char *method,
                                const frpc_call_options *options,
                                const ProtobufCMessage *const *requests, size_t count,
                                const ProtobufCMessageDescriptor *response_type,
                                ProtobufCMessage **response, frpc_status *status);

#ifdef __cplusplus
}
#endif

#endif /* FRAMEDRPC_H */
