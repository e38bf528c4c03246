/*
 * cardex-scenario-c: one Cardex scenario over the C client, against `cardex serve`.
 *
 *   cardex-scenario-c --host HOST --port PORT --ca DATA_DIR/dev-ca.pem
 *                     --notifications DATA_DIR/notifications.log
 *
 * A registers (RequestCode, the code from the notification log, VerifyCode) and sets a
 * card with a public name and a contacts-only e-mail, and lets everyone find her by number
 * (AccountService.UpdateSettings); B registers; B reads A's card with CardService.GetCard and
 * looks A up with LookupService.Lookup, each giving the name and not the e-mail. Calls after VerifyCode carry "authorization: Bearer <session token>".
 * Prints "PASS step" or "FAIL step: why"; exits 1 at the first failure, 2 for bad arguments.
 */
#include "framedrpc.h"
#include "cardex/v1/card.pb-c.h"
#include "cardex/v1/lookup.pb-c.h"
#include "cardex/v1/registration.pb-c.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    CALL_TIMEOUT_MS = 10000,
    CODE_WAIT_MS = 5000,   /* for the code to reach the notification log */
    CODE_POLL_MS = 100,
    CODE_DIGITS = 6,
};

static const char public_name[] = "Ada Lovelace";
static const char private_email[] = "ada@example.com";

/* A registered person and the metadata that authenticates their calls. */
typedef struct person {
    const char *label;
    const char *phone;
    char *user_id;
    frpc_metadata session;
} person;

typedef struct scenario {
    frpc_connection *connection;
    const char *notifications;
    char why[512];
} scenario;

static bool fail(scenario *run, const char *format, ...) __attribute__((format(printf, 2, 3)));

static bool fail(scenario *run, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(run->why, sizeof run->why, format, arguments);
    va_end(arguments);
    return false;
}

static bool report(const char *step, bool passed, const scenario *run) {
    if (passed) printf("PASS %s\n", step);
    else printf("FAIL %s: %s\n", step, run->why);
    fflush(stdout);
    return passed;
}

/* A unary call as `caller` (NULL: unauthenticated); fails `run` with the status otherwise. */
static bool call(scenario *run, const char *method, const person *caller, const ProtobufCMessage *request,
                 const ProtobufCMessageDescriptor *type, ProtobufCMessage **response) {
    frpc_status status = FRPC_STATUS_INIT;
    const frpc_call_options options = {caller != NULL ? &caller->session : NULL, CALL_TIMEOUT_MS};
    frpc_code code = frpc_unary(run->connection, method, &options, request, type, response, &status);
    if (code != FRPC_OK) fail(run, "%s: %s: %s", method, frpc_code_name(code), frpc_status_message(&status));
    frpc_status_clear(&status);
    return code == FRPC_OK;
}

static void sleep_ms(long milliseconds) {
    struct timespec pause = {milliseconds / 1000, (milliseconds % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* The last code the notification log holds for `phone` (a JSON line with "to":"PHONE" and
 * "code is NNNNNN"), waiting for it; false if none arrives in time. */
static bool code_for(const scenario *run, const char *phone, char code[CODE_DIGITS + 1]) {
    char to[64];
    snprintf(to, sizeof to, "\"to\":\"%s\"", phone);
    for (int waited = 0; waited <= CODE_WAIT_MS; waited += CODE_POLL_MS) {
        code[0] = '\0';
        FILE *log = fopen(run->notifications, "r");
        char line[4096];
        while (log != NULL && fgets(line, sizeof line, log) != NULL) {
            const char *text = strstr(line, "code is ");
            if (strstr(line, to) == NULL || text == NULL) continue;
            text += strlen("code is ");
            if (strspn(text, "0123456789") < CODE_DIGITS) continue;
            memcpy(code, text, CODE_DIGITS);
            code[CODE_DIGITS] = '\0';
        }
        if (log != NULL) fclose(log);
        if (code[0] != '\0') return true;
        sleep_ms(CODE_POLL_MS);
    }
    return false;
}

/* RequestCode, then VerifyCode with the code from the log; keeps the session token. */
static bool register_person(scenario *run, person *who) {
    ProtobufCMessage *response = NULL;
    Cardex__V1__RequestCodeRequest request = CARDEX__V1__REQUEST_CODE_REQUEST__INIT;
    request.phone = (char *)who->phone;
    request.purpose = CARDEX__V1__CODE_PURPOSE__CODE_PURPOSE_REGISTER;
    if (!call(run, "/cardex.v1.RegistrationService/RequestCode", NULL, &request.base,
              &cardex__v1__request_code_response__descriptor, &response)) return false;
    bool sent_to_phone = strcmp(((Cardex__V1__RequestCodeResponse *)response)->phone, who->phone) == 0;
    protobuf_c_message_free_unpacked(response, NULL);
    if (!sent_to_phone) return fail(run, "RequestCode did not answer with %s", who->phone);

    char code[CODE_DIGITS + 1];
    if (!code_for(run, who->phone, code)) {
        return fail(run, "no code for %s in %s within %d ms", who->phone, run->notifications, CODE_WAIT_MS);
    }
    Cardex__V1__VerifyCodeRequest verify = CARDEX__V1__VERIFY_CODE_REQUEST__INIT;
    verify.phone = (char *)who->phone;
    verify.code = code;
    verify.purpose = CARDEX__V1__CODE_PURPOSE__CODE_PURPOSE_REGISTER;
    verify.device_name = "c-client";
    if (!call(run, "/cardex.v1.RegistrationService/VerifyCode", NULL, &verify.base,
              &cardex__v1__verify_code_response__descriptor, &response)) return false;
    const Cardex__V1__VerifyCodeResponse *verified = (const Cardex__V1__VerifyCodeResponse *)response;
    bool ok = verified->session_token[0] != '\0' && verified->user_id[0] != '\0';
    if (ok) {
        /* Sessions/SessionInterceptor.swift: "authorization: Bearer <token>" on every call. */
        size_t length = strlen("Bearer ") + strlen(verified->session_token) + 1;
        char *value = malloc(length);
        who->user_id = strdup(verified->user_id);
        ok = value != NULL && who->user_id != NULL;
        if (ok) {
            snprintf(value, length, "Bearer %s", verified->session_token);
            ok = frpc_metadata_add_text(&who->session, "authorization", value) == FRPC_OK;
        }
        free(value);
    }
    protobuf_c_message_free_unpacked(response, NULL);
    return ok || fail(run, "VerifyCode gave no session token or user id (or out of memory)");
}

/* A sets a card: the name for everyone, the e-mail for contacts only. */
static bool set_card(scenario *run, const person *owner) {
    Cardex__V1__Audience everyone = CARDEX__V1__AUDIENCE__INIT;
    everyone.level = CARDEX__V1__AUDIENCE_LEVEL__AUDIENCE_LEVEL_EVERYONE;
    Cardex__V1__Audience contacts = CARDEX__V1__AUDIENCE__INIT;
    contacts.level = CARDEX__V1__AUDIENCE_LEVEL__AUDIENCE_LEVEL_CONTACTS;
    Cardex__V1__CardField name = CARDEX__V1__CARD_FIELD__INIT;
    name.kind = CARDEX__V1__FIELD_KIND__FIELD_KIND_NAME;
    name.value = (char *)public_name;
    name.audience = &everyone;
    Cardex__V1__CardField email = CARDEX__V1__CARD_FIELD__INIT;
    email.kind = CARDEX__V1__FIELD_KIND__FIELD_KIND_EMAIL;
    email.label = "work";
    email.value = (char *)private_email;
    email.audience = &contacts;
    Cardex__V1__CardField *fields[] = {&name, &email};
    Cardex__V1__Card card = CARDEX__V1__CARD__INIT;
    card.n_fields = sizeof fields / sizeof fields[0];
    card.fields = fields;
    Cardex__V1__SetCardRequest request = CARDEX__V1__SET_CARD_REQUEST__INIT;
    request.card = &card;
    ProtobufCMessage *response = NULL;
    if (!call(run, "/cardex.v1.CardService/SetCard", owner, &request.base,
              &cardex__v1__set_card_response__descriptor, &response)) return false;
    const Cardex__V1__SetCardResponse *set = (const Cardex__V1__SetCardResponse *)response;
    bool ok = set->version != NULL && set->version->version == 1;
    protobuf_c_message_free_unpacked(response, NULL);
    return ok || fail(run, "SetCard did not make version 1");
}

/* AccountService.UpdateSettings: anyone who sees the owner's card may find them by number
 * (a new account is found by its contacts only). */
static bool discoverable_by_everyone(scenario *run, const person *owner) {
    Cardex__V1__UpdateSettingsRequest request = CARDEX__V1__UPDATE_SETTINGS_REQUEST__INIT;
    request.discoverable_by = CARDEX__V1__DISCOVERABILITY__DISCOVERABILITY_EVERYONE;
    ProtobufCMessage *response = NULL;
    if (!call(run, "/cardex.v1.AccountService/UpdateSettings", owner, &request.base,
              &cardex__v1__account__descriptor, &response)) return false;
    const Cardex__V1__Account *account = (const Cardex__V1__Account *)response;
    bool ok = account->settings != NULL &&
              account->settings->discoverable_by == CARDEX__V1__DISCOVERABILITY__DISCOVERABILITY_EVERYONE;
    protobuf_c_message_free_unpacked(response, NULL);
    return ok || fail(run, "UpdateSettings did not make A discoverable by everyone");
}

/* A card as someone else reads it: the public name alone, without audiences. */
static bool only_public_name(scenario *run, const char *what, const Cardex__V1__Card *card) {
    if (card == NULL || card->n_fields != 1) {
        return fail(run, "%s: expected 1 field (the public name), got %zu", what, card != NULL ? card->n_fields : 0);
    }
    const Cardex__V1__CardField *field = card->fields[0];
    if (field->kind != CARDEX__V1__FIELD_KIND__FIELD_KIND_NAME || strcmp(field->value, public_name) != 0) {
        return fail(run, "%s: expected name '%s', got kind %d value '%s'", what, public_name, field->kind, field->value);
    }
    return field->audience == NULL || fail(run, "%s: the field carries its audience", what);
}

/* CardService.GetCard by phone: what Lookup must agree with. */
static bool get_card(scenario *run, const person *reader, const person *owner) {
    Cardex__V1__GetCardRequest request = CARDEX__V1__GET_CARD_REQUEST__INIT;
    request.person_case = CARDEX__V1__GET_CARD_REQUEST__PERSON_PHONE;
    request.phone = (char *)owner->phone;
    ProtobufCMessage *response = NULL;
    if (!call(run, "/cardex.v1.CardService/GetCard", reader, &request.base,
              &cardex__v1__get_card_response__descriptor, &response)) return false;
    const Cardex__V1__GetCardResponse *got = (const Cardex__V1__GetCardResponse *)response;
    bool ok = strcmp(got->user_id, owner->user_id) == 0 ? only_public_name(run, "GetCard", got->card)
                                                          : fail(run, "GetCard answered user %s", got->user_id);
    protobuf_c_message_free_unpacked(response, NULL);
    return ok;
}

/* LookupService.Lookup, the incoming-call display: the public name of the number's owner. */
static bool lookup(scenario *run, const person *caller, const person *owner) {
    Cardex__V1__LookupRequest request = CARDEX__V1__LOOKUP_REQUEST__INIT;
    request.phone = (char *)owner->phone;
    ProtobufCMessage *response = NULL;
    if (!call(run, "/cardex.v1.LookupService/Lookup", caller, &request.base,
              &cardex__v1__lookup_response__descriptor, &response)) return false;
    const Cardex__V1__LookupResponse *found = (const Cardex__V1__LookupResponse *)response;
    bool ok;
    if (strcmp(found->user_id, owner->user_id) != 0) ok = fail(run, "Lookup answered user %s", found->user_id);
    else if (strcmp(found->phone, owner->phone) != 0) ok = fail(run, "Lookup answered number %s", found->phone);
    else ok = only_public_name(run, "Lookup", found->card);
    protobuf_c_message_free_unpacked(response, NULL);
    return ok;
}

static int usage(const char *problem) {
    fprintf(stderr, "cardex-scenario-c: %s\nusage: cardex-scenario-c --host HOST --port PORT --ca FILE "
            "--notifications FILE\n", problem);
    return 2;
}

int main(int argc, char **argv) {
    const char *host = NULL;
    long port = -1;
    scenario run = {NULL, NULL, ""};
    frpc_config config;
    frpc_config_init(&config);
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--host") == 0) host = argv[i + 1];
        else if (strcmp(argv[i], "--port") == 0) port = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--ca") == 0) config.ca_file = argv[i + 1];
        else if (strcmp(argv[i], "--notifications") == 0) run.notifications = argv[i + 1];
        else return usage("unknown option");
    }
    if (argc % 2 == 0 || host == NULL || port < 1 || port > 65535 || config.ca_file == NULL || run.notifications == NULL) {
        return usage("--host, --port (1-65535), --ca and --notifications are required");
    }

    person a = {"A", "+15550107001", NULL, {0}};
    person b = {"B", "+15550107002", NULL, {0}};
    frpc_status status = FRPC_STATUS_INIT;
    bool passed = report("connect", frpc_connect(host, (uint16_t)port, &config, &run.connection, &status) == FRPC_OK ||
                                        fail(&run, "%s: %s", frpc_code_name(status.code), frpc_status_message(&status)),
                         &run) &&
                  report("A registers (RequestCode, VerifyCode)", register_person(&run, &a), &run) &&
                  report("A sets a card with a name for AUDIENCE_LEVEL_EVERYONE", set_card(&run, &a), &run) &&
                  report("A lets everyone find her by number", discoverable_by_everyone(&run, &a), &run) &&
                  report("B registers", register_person(&run, &b), &run) &&
                  report("B reads A's public name with CardService.GetCard", get_card(&run, &b, &a), &run) &&
                  report("B looks A up with LookupService.Lookup", lookup(&run, &b, &a), &run);
    frpc_connection_close(run.connection);
    frpc_status_clear(&status);
    for (person *who = &a; who != NULL; who = who == &a ? &b : NULL) {
        free(who->user_id);
        frpc_metadata_clear(&who->session);
    }
    printf("cardex scenario: %s\n", passed ? "ok" : "FAILED");
    return passed ? 0 : 1;
}
