/// Cardex's PostgreSQL schema, as an append-only list of migrations (``PostgresMigrator``).
///
/// Migration v1 is the final shape of the SQLite schema (`CardexSQLite/Schema.swift`, its
/// migrations v1 to v4): the same tables, columns, primary keys, unique constraints, foreign keys
/// with `ON DELETE CASCADE`, and indexes under the same names. SQLite's schema has no CHECK
/// constraints, so neither has this one. Where PostgreSQL differs, and why:
///
/// - **Types.** Every integer is `BIGINT`, as postgres-nio binds Swift's `Int` as `int8`. Times are
///   `TIMESTAMPTZ`, not epoch numbers: 8 bytes either way, but postgres-nio binds `Date` to it
///   directly (microseconds), SQL compares and does arithmetic on it (`expires_at < now()`), and
///   psql shows it readably. `lookup_paid.day` stays a `BIGINT` (days since 1970, UTC, computed by
///   the app). Binary is `BYTEA`; the budgets' tokens are `DOUBLE PRECISION`.
/// - **Cards are bytes.** `cards.content` and `card_history.content` are `BYTEA`: a card's
///   protobuf bytes, the form both stores keep.
/// - **Encoded values stay `TEXT`.** `shares.fields`, `shares.entry`, `events.payload`,
///   `book_entries.content` and `outbox.body` are opaque to the database; `JSONB` would
///   re-encode them (key order, spacing) and parse them on every write for no query that needs it.
/// - **Text is compared by bytes.** Every `TEXT` column is `COLLATE "C"`: byte order, as SQLite's
///   `BINARY`, whatever locale the cluster was created with, so sorting and paging by id, phone
///   or entry id give the same order on both stores, and range scans use the indexes.
/// - **Ids.** User, session, share, group and invitation ids stay `TEXT` (the stores' records
///   carry them as strings). SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT` becomes
///   `BIGINT GENERATED ALWAYS AS IDENTITY`: never reused either, but allotted when a row is
///   inserted, not when it commits, so a reader may see id 8 before a still-open transaction's id 7.
///   Code that pages by id must not take the largest id it saw as "everything before is seen".
/// - **Two more indexes.** `former_phones_on_user_id` and `group_invitations_on_inviter_id`:
///   deleting a user cascades to these tables by `user_id` / `inviter_id`, which no index of
///   SQLite's schema leads with, so each account deletion would scan them whole.
/// - **Insertion order.** SQLite breaks ties in `sessions`, `shares`, `group_members` and
///   `group_invitations` by `rowid` (insertion order): sessions and invitations oldest first, an
///   owner's shares newest first, members in joining order. PostgreSQL has no rowid, so these
///   tables have `insertion_order BIGINT GENERATED ALWAYS AS IDENTITY`, used only as the last
///   ORDER BY key (no index: each such query sorts one person's or one group's rows).
/// - **Event sequences.** A person's next event numbers come from `event_counters`: one upsert
///   for a whole batch of events, `INSERT … ON CONFLICT (user_id) DO UPDATE SET last_seq =
///   last_seq + <the person's events in the batch> RETURNING last_seq`, rows taken in user-id
///   order. `PostgresStore` writes at SERIALIZABLE: of two transactions appending to the same
///   person, the second waits for the counter row's lock and, once the first commits, fails with
///   SQLSTATE 40001 and runs again from scratch, reading the committed counter. Sequences stay
///   gap-free and in commit order. (SQLite gets the same from its single writer.)
/// - **v3's `lookup_seen`.** SQLite's v4 replaced it by `lookup_paid` and dropped it; it is not
///   created here.
public enum PostgresSchema {
    /// The migrations, oldest first. Append only.
    public static var migrations: [PostgresMigration] {
        [v1, v2, v3, v4, v5]
    }

    static let v1 = PostgresMigration(
        "v1: accounts, sessions, codes, cards, outbox, shares, events, address books, groups, lookup budgets",
        [
            """
            CREATE TABLE users (
                id TEXT COLLATE "C" PRIMARY KEY,
                phone TEXT COLLATE "C" NOT NULL UNIQUE,
                created_at TIMESTAMPTZ NOT NULL,
                cloud_address_book BOOLEAN NOT NULL,
                auto_send_card BOOLEAN NOT NULL,
                discoverable_by TEXT COLLATE "C" NOT NULL
            )
            """,
            """
            CREATE TABLE sessions (
                id TEXT COLLATE "C" PRIMARY KEY,
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                token_hash BYTEA NOT NULL UNIQUE,
                device_name TEXT COLLATE "C" NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                last_used_at TIMESTAMPTZ NOT NULL,
                insertion_order BIGINT GENERATED ALWAYS AS IDENTITY
            )
            """,
            "CREATE INDEX sessions_on_user_id ON sessions (user_id)",
            """
            CREATE TABLE verification_codes (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                phone TEXT COLLATE "C" NOT NULL,
                purpose TEXT COLLATE "C" NOT NULL,
                code_hash BYTEA NOT NULL,
                requester_id TEXT COLLATE "C" REFERENCES users(id) ON DELETE CASCADE,
                created_at TIMESTAMPTZ NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL,
                attempts BIGINT NOT NULL,
                state TEXT COLLATE "C" NOT NULL
            )
            """,
            "CREATE INDEX verification_codes_on_requester_id ON verification_codes (requester_id)",
            "CREATE INDEX verification_codes_by_phone ON verification_codes (phone, purpose, state)",
            """
            CREATE TABLE code_requests (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                phone TEXT COLLATE "C" NOT NULL,
                client_address TEXT COLLATE "C" NOT NULL,
                requested_at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX code_requests_by_phone ON code_requests (phone, requested_at)",
            "CREATE INDEX code_requests_by_address ON code_requests (client_address, requested_at)",
            """
            CREATE TABLE cards (
                user_id TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
                version BIGINT NOT NULL,
                etag TEXT COLLATE "C" NOT NULL,
                content BYTEA NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE card_history (
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                version BIGINT NOT NULL,
                etag TEXT COLLATE "C" NOT NULL,
                content BYTEA NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (user_id, version)
            )
            """,
            """
            CREATE TABLE outbox (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind TEXT COLLATE "C" NOT NULL,
                recipient TEXT COLLATE "C" NOT NULL,
                body TEXT COLLATE "C" NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                next_attempt_at TIMESTAMPTZ,
                attempts BIGINT NOT NULL,
                delivered_at TIMESTAMPTZ,
                last_error TEXT COLLATE "C"
            )
            """,
            "CREATE INDEX outbox_on_recipient ON outbox (recipient)",
            "CREATE INDEX outbox_due ON outbox (next_attempt_at)",
            "CREATE INDEX outbox_by_recipient_kind ON outbox (recipient, kind, created_at)",
            // One row per recipient of a share, or one for a share with everyone (state public).
            """
            CREATE TABLE shares (
                id TEXT COLLATE "C" PRIMARY KEY,
                owner_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                recipient_user_id TEXT COLLATE "C" REFERENCES users(id) ON DELETE CASCADE,
                recipient_phone TEXT COLLATE "C",
                fields TEXT COLLATE "C" NOT NULL,
                state TEXT COLLATE "C" NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                delivered_at TIMESTAMPTZ,
                entry TEXT COLLATE "C",
                insertion_order BIGINT GENERATED ALWAYS AS IDENTITY
            )
            """,
            "CREATE INDEX shares_by_owner ON shares (owner_id, state)",
            "CREATE INDEX shares_by_recipient ON shares (recipient_user_id, state)",
            "CREATE INDEX shares_by_phone ON shares (recipient_phone, state)",
            // The newest sequence number given to each person; rows of `events` may be pruned.
            """
            CREATE TABLE event_counters (
                user_id TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
                last_seq BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE events (
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                seq BIGINT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                payload TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (user_id, seq)
            )
            """,
            """
            CREATE TABLE book_entries (
                owner_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                client_entry_id TEXT COLLATE "C" NOT NULL,
                content TEXT COLLATE "C" NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (owner_id, client_entry_id)
            )
            """,
            // The matchable (E.164) numbers of each entry, for exchange and mutual matching.
            """
            CREATE TABLE book_numbers (
                owner_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                client_entry_id TEXT COLLATE "C" NOT NULL,
                phone TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (owner_id, client_entry_id, phone)
            )
            """,
            "CREATE INDEX book_numbers_by_phone ON book_numbers (phone, owner_id)",
            // Mutual contacts: one row per direction.
            """
            CREATE TABLE mutual_contacts (
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                contact_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                since TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (user_id, contact_id)
            )
            """,
            "CREATE INDEX mutual_contacts_on_contact_id ON mutual_contacts (contact_id)",
            // Numbers people had, for query-update's number-change matching.
            """
            CREATE TABLE former_phones (
                phone TEXT COLLATE "C" NOT NULL,
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                until TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (phone, user_id)
            )
            """,
            "CREATE INDEX former_phones_on_user_id ON former_phones (user_id)",
            """
            CREATE TABLE groups (
                id TEXT COLLATE "C" PRIMARY KEY,
                name TEXT COLLATE "C" NOT NULL,
                owner_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX groups_on_owner_id ON groups (owner_id)",
            """
            CREATE TABLE group_members (
                group_id TEXT COLLATE "C" NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                phone TEXT COLLATE "C" NOT NULL,
                role TEXT COLLATE "C" NOT NULL,
                tag TEXT COLLATE "C",
                joined_at TIMESTAMPTZ NOT NULL,
                insertion_order BIGINT GENERATED ALWAYS AS IDENTITY,
                PRIMARY KEY (group_id, user_id)
            )
            """,
            "CREATE INDEX group_members_on_user_id ON group_members (user_id)",
            """
            CREATE TABLE group_invitations (
                id TEXT COLLATE "C" PRIMARY KEY,
                group_id TEXT COLLATE "C" NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
                inviter_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                invitee_user_id TEXT COLLATE "C" REFERENCES users(id) ON DELETE CASCADE,
                invitee_phone TEXT COLLATE "C",
                tag TEXT COLLATE "C",
                created_at TIMESTAMPTZ NOT NULL,
                delivered_at TIMESTAMPTZ,
                insertion_order BIGINT GENERATED ALWAYS AS IDENTITY
            )
            """,
            "CREATE INDEX group_invitations_on_group_id ON group_invitations (group_id)",
            "CREATE INDEX group_invitations_on_invitee_user_id ON group_invitations (invitee_user_id)",
            "CREATE INDEX group_invitations_on_invitee_phone ON group_invitations (invitee_phone)",
            "CREATE INDEX group_invitations_on_inviter_id ON group_invitations (inviter_id)",
            // Anti-enumeration budgets: `key` is account:<user id> or address:<client address>.
            """
            CREATE TABLE lookup_budgets (
                key TEXT COLLATE "C" PRIMARY KEY,
                tokens DOUBLE PRECISION NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL
            )
            """,
            // The numbers each budget paid for, as packed 16-byte keyed digests, one row per save,
            // filed by day (days since 1970, UTC).
            """
            CREATE TABLE lookup_paid (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                key TEXT COLLATE "C" NOT NULL,
                day BIGINT NOT NULL,
                digests BYTEA NOT NULL
            )
            """,
            "CREATE INDEX lookup_paid_on_day ON lookup_paid (day)",
            "CREATE INDEX lookup_paid_on_key_day ON lookup_paid (key, day)",
        ])

    /// The fingerprint of the server secret the database is used with (one row): every instance
    /// on the database must hold the same secret (``PostgresStore/adoptSecretFingerprint(_:)``).
    static let v2 = PostgresMigration(
        "v2: the server secret's fingerprint",
        [
            """
            CREATE TABLE server_secret (
                only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
                fingerprint BYTEA NOT NULL,
                recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """
        ])

    /// The instances sharing the database, each alive until its `expires_at` (on the database's
    /// clock), and the people with a device online on each (``PostgresStore``'s
    /// `PresenceRecording`): an instance removed when its time is up takes its devices with it.
    static let v3 = PostgresMigration(
        "v3: instances and the devices online on them",
        [
            """
            CREATE TABLE instances (
                id TEXT COLLATE "C" PRIMARY KEY,
                expires_at TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE device_presence (
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                instance_id TEXT COLLATE "C" NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                PRIMARY KEY (user_id, instance_id)
            )
            """,
            "CREATE INDEX device_presence_on_instance_id ON device_presence (instance_id)",
        ])

    /// What a session's secret opens (`DeviceSession.Kind`), as SQLite's v6: existing sessions
    /// are devices.
    static let v4 = PostgresMigration(
        "v4: app-password sessions",
        [#"ALTER TABLE sessions ADD COLUMN kind TEXT COLLATE "C" NOT NULL DEFAULT 'device'"#])

    /// The address books' change log (CardexCore's `BookLog`), as SQLite's v7.
    static let v5 = PostgresMigration(
        "v5: the address books' change log",
        [
            """
            CREATE TABLE book_revisions (
                owner_id TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
                latest BIGINT NOT NULL,
                horizon BIGINT NOT NULL,
                logged BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE book_log (
                owner_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                client_entry_id TEXT COLLATE "C" NOT NULL,
                revision BIGINT NOT NULL,
                PRIMARY KEY (owner_id, client_entry_id)
            )
            """,
            "CREATE INDEX book_log_by_revision ON book_log (owner_id, revision, client_entry_id)",
        ])
}
