/*
 * Unit tests of the frame codec (frame.c), without I/O: the decoder fed byte by byte and in
 * bulk gives the same frames, and each rule of PROTOCOL.md §2-3 a server can break is caught.
 * Prints one line per failed check; exits 1 when any failed.
 */
#include "frame.h"

#include <stdio.h>
#include <string.h>

static int failures;

#define EXPECT(condition)                                                      \
    do {                                                                       \
        if (!(condition)) {                                                    \
            printf("frame_test: FAILED at line %d: %s\n", __LINE__, #condition); \
            failures++;                                                        \
        }                                                                      \
    } while (0)

/* What a server may send: a MESSAGE, a PING, a WINDOW_UPDATE and an empty STATUS. */
static const uint8_t server_bytes[] = {
    0, 0, 0, 3, 0x02, 0, 0, 0, 0, 1, 'a', 'b', 'c',
    0, 0, 0, 8, 0x07, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,
    0, 0, 0, 4, 0x06, 0, 0, 0, 0, 1, 0, 0, 0x10, 0,
    0, 0, 0, 0, 0x04, 0, 0, 0, 0, 1,
};

typedef struct decoded {
    frpc_frame_type type;
    uint32_t stream_id;
    uint32_t length;
    uint8_t first_byte;
} decoded;

/* Feeds `bytes` in pieces of `step` bytes; returns how many frames came out, into `out`. */
static size_t decode_in_steps(const uint8_t *bytes, size_t length, size_t step, decoded *out, size_t capacity) {
    frpc_decoder decoder;
    frpc_decoder_init(&decoder, FRPC_DEFAULT_MAX_FRAME_SIZE);
    size_t count = 0;
    for (size_t offset = 0; offset < length; offset += step) {
        size_t piece = length - offset < step ? length - offset : step;
        EXPECT(frpc_decoder_feed(&decoder, bytes + offset, piece));
        frpc_frame frame;
        frpc_wire_error error;
        int next;
        while ((next = frpc_decoder_next(&decoder, &frame, &error)) == 1 && count < capacity) {
            out[count++] = (decoded){frame.type, frame.stream_id, frame.length, frame.length ? frame.payload[0] : 0};
        }
        EXPECT(next == 0);
    }
    EXPECT(frpc_decoder_buffered(&decoder) == 0);
    frpc_decoder_free(&decoder);
    return count;
}

static void test_byte_by_byte_and_bulk_agree(void) {
    decoded bulk[8], single[8];
    size_t bulk_count = decode_in_steps(server_bytes, sizeof server_bytes, sizeof server_bytes, bulk, 8);
    size_t single_count = decode_in_steps(server_bytes, sizeof server_bytes, 1, single, 8);
    EXPECT(bulk_count == 4);
    EXPECT(single_count == bulk_count);
    for (size_t i = 0; i < bulk_count && i < single_count; i++) {
        EXPECT(bulk[i].type == single[i].type && bulk[i].stream_id == single[i].stream_id &&
               bulk[i].length == single[i].length && bulk[i].first_byte == single[i].first_byte);
    }
    EXPECT(bulk[0].type == FRPC_FRAME_MESSAGE && bulk[0].length == 3 && bulk[0].first_byte == 'a');
    EXPECT(bulk[1].type == FRPC_FRAME_PING && bulk[1].stream_id == 0 && bulk[1].length == 8);
    EXPECT(bulk[2].type == FRPC_FRAME_WINDOW_UPDATE && bulk[2].length == 4);
    EXPECT(bulk[3].type == FRPC_FRAME_STATUS && bulk[3].length == 0);
}

/* The first frame of `bytes` must fail with `code`. */
static void expect_error(const uint8_t *bytes, size_t length, frpc_wire_error_code code, uint32_t max_frame_size) {
    frpc_decoder decoder;
    frpc_decoder_init(&decoder, max_frame_size);
    EXPECT(frpc_decoder_feed(&decoder, bytes, length));
    frpc_frame frame;
    frpc_wire_error error;
    EXPECT(frpc_decoder_next(&decoder, &frame, &error) == -1);
    EXPECT(error.code == code);
    frpc_decoder_free(&decoder);
}

static void test_rules(void) {
    /* A header announcing more than the limit fails before its payload arrives. */
    const uint8_t too_large[] = {0, 0, 0x10, 1, 0x02, 0, 0, 0, 0, 1};
    expect_error(too_large, sizeof too_large, FRPC_WIRE_FRAME_TOO_LARGE, 4096);
    const uint8_t unknown_type[] = {0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 1};
    expect_error(unknown_type, sizeof unknown_type, FRPC_WIRE_PROTOCOL_ERROR, FRPC_DEFAULT_MAX_FRAME_SIZE);
    const uint8_t half_close_from_server[] = {0, 0, 0, 0, 0x03, 0, 0, 0, 0, 1};
    expect_error(half_close_from_server, sizeof half_close_from_server, FRPC_WIRE_PROTOCOL_ERROR, FRPC_DEFAULT_MAX_FRAME_SIZE);
    const uint8_t ping_on_a_call[] = {0, 0, 0, 8, 0x07, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    expect_error(ping_on_a_call, sizeof ping_on_a_call, FRPC_WIRE_PROTOCOL_ERROR, FRPC_DEFAULT_MAX_FRAME_SIZE);
    const uint8_t message_on_stream_0[] = {0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0};
    expect_error(message_on_stream_0, sizeof message_on_stream_0, FRPC_WIRE_PROTOCOL_ERROR, FRPC_DEFAULT_MAX_FRAME_SIZE);
    const uint8_t short_ping[] = {0, 0, 0, 4, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    expect_error(short_ping, sizeof short_ping, FRPC_WIRE_PROTOCOL_ERROR, FRPC_DEFAULT_MAX_FRAME_SIZE);
    const uint8_t zero_increment[] = {0, 0, 0, 4, 0x06, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    expect_error(zero_increment, sizeof zero_increment, FRPC_WIRE_PROTOCOL_ERROR, FRPC_DEFAULT_MAX_FRAME_SIZE);
}

static void test_preface_and_header(void) {
    frpc_wire_error error;
    EXPECT(frpc_preface_check(frpc_preface, &error));
    const uint8_t newer_minor[] = {'F', 'R', 'P', 'C', '\r', '\n', 1, 7};
    EXPECT(frpc_preface_check(newer_minor, &error));
    const uint8_t version_2[] = {'F', 'R', 'P', 'C', '\r', '\n', 2, 0};
    EXPECT(!frpc_preface_check(version_2, &error) && error.code == FRPC_WIRE_UNSUPPORTED_VERSION);
    const uint8_t http[] = {'H', 'T', 'T', 'P', '/', '1', '.', '1'};
    EXPECT(!frpc_preface_check(http, &error) && error.code == FRPC_WIRE_PROTOCOL_ERROR);
    /* PROTOCOL.md §9: HEADERS, 42-byte payload, stream 1. */
    const uint8_t expected[FRPC_FRAME_HEADER_SIZE] = {0, 0, 0, 0x2a, 0x01, 0, 0, 0, 0, 1};
    uint8_t header[FRPC_FRAME_HEADER_SIZE];
    frpc_frame_encode_header(header, FRPC_FRAME_HEADERS, 1, 42);
    EXPECT(memcmp(header, expected, sizeof header) == 0);
}

int main(void) {
    test_byte_by_byte_and_bulk_agree();
    test_rules();
    test_preface_and_header();
    printf("frame_test: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
