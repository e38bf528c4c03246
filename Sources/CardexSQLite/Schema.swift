import Foundation
import GRDB

/// The database schema as an append-only list of migrations.
///
/// Rules: a shipped migration is never edited (databases in the field already ran it); a change
/// is a new migration appended at the end. Migrations use SQL and column names only, never the
/// app's record types, so later changes to those types cannot alter an old migration. From v5
/// on, a migration runs without foreign keys enforced and checks those of the tables it changes.
/// From v8 on, only the address books (``bookTables``) are in `main`: a migration creates any
/// other table as `accounts.name`, in the accounts file (see ``SQLiteStore/Configuration``).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: accounts, sessions, codes, cards, outbox") { db in
            try db.create(table: "users") { t in
                t.primaryKey("id", .text)
                t.column("phone", .text).notNull().unique()
                t.column("created_at", .datetime).notNull()
                t.column("cloud_address_book", .boolean).notNull()
                t.column("auto_send_card", .boolean).notNull()
                t.column("discoverable_by", .text).notNull()
            }
            try db.create(table: "sessions") { t in
                t.primaryKey("id", .text)
                t.column("user_id", .text).notNull().indexed().references("users", onDelete: .cascade)
                t.column("token_hash", .blob).notNull().unique()
                t.column("device_name", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("last_used_at", .datetime).notNull()
            }
            try db.create(table: "verification_codes") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("phone", .text).notNull()
                t.column("purpose", .text).notNull()
                t.column("code_hash", .blob).notNull()
                t.column("requester_id", .text).indexed().references("users", onDelete: .cascade)
                t.column("created_at", .datetime).notNull()
                t.column("expires_at", .datetime).notNull()
                t.column("attempts", .integer).notNull()
                t.column("state", .text).notNull()
            }
            try db.create(index: "verification_codes_by_phone", on: "verification_codes", columns: ["phone", "purpose", "state"])
            try db.create(table: "code_requests") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("phone", .text).notNull()
                t.column("client_address", .text).notNull()
                t.column("requested_at", .datetime).notNull()
            }
            try db.create(index: "code_requests_by_phone", on: "code_requests", columns: ["phone", "requested_at"])
            try db.create(index: "code_requests_by_address", on: "code_requests", columns: ["client_address", "requested_at"])
            try db.create(table: "cards") { t in
                t.primaryKey("user_id", .text).references("users", onDelete: .cascade)
                t.column("version", .integer).notNull()
                t.column("etag", .text).notNull()
                t.column("content", .text).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "card_history") { t in
                t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("version", .integer).notNull()
                t.column("etag", .text).notNull()
                t.column("content", .text).notNull()
                t.column("updated_at", .datetime).notNull()
                t.primaryKey(["user_id", "version"])
            }
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("recipient", .text).notNull().indexed()
                t.column("body", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("next_attempt_at", .datetime)
                t.column("attempts", .integer).notNull()
                t.column("delivered_at", .datetime)
                t.column("last_error", .text)
            }
            try db.create(index: "outbox_due", on: "outbox", columns: ["next_attempt_at"])
        }
        migrator.registerMigration("v2: shares, events, address books, groups, mutual contacts, former phones") { db in
            // One row per recipient of a share, or one for a share with everyone (state public).
            // `recipient_user_id` is NULL while the number is unregistered and for shares with everyone; `recipient_phone` is set when the sender
            // named a number. `state`: waiting (not in an inbox yet), delivered (in the inbox),
            // accepted, declined, public (shared with everyone).
            try db.create(table: "shares") { t in
                t.primaryKey("id", .text)
                t.column("owner_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("recipient_user_id", .text).references("users", onDelete: .cascade)
                t.column("recipient_phone", .text)
                t.column("fields", .text).notNull()
                t.column("state", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("delivered_at", .datetime)
                // A forwarded address-book entry (JSON); NULL for a share of the owner's card.
                t.column("entry", .text)
            }
            try db.create(index: "shares_by_owner", on: "shares", columns: ["owner_id", "state"])
            try db.create(index: "shares_by_recipient", on: "shares", columns: ["recipient_user_id", "state"])
            try db.create(index: "shares_by_phone", on: "shares", columns: ["recipient_phone", "state"])
            try db.create(index: "outbox_by_recipient_kind", on: "outbox", columns: ["recipient", "kind", "created_at"])
            // The newest sequence number given to each person; rows of `events` may be pruned.
            try db.create(table: "event_counters") { t in
                t.primaryKey("user_id", .text).references("users", onDelete: .cascade)
                t.column("last_seq", .integer).notNull()
            }
            try db.create(table: "events") { t in
                t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("seq", .integer).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("payload", .text).notNull()
                t.primaryKey(["user_id", "seq"])
            }
            try db.create(table: "book_entries") { t in
                t.column("owner_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("client_entry_id", .text).notNull()
                t.column("content", .text).notNull()
                t.column("updated_at", .datetime).notNull()
                t.primaryKey(["owner_id", "client_entry_id"])
            }
            // The matchable (E.164) numbers of each entry, for exchange and mutual matching.
            try db.create(table: "book_numbers") { t in
                t.column("owner_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("client_entry_id", .text).notNull()
                t.column("phone", .text).notNull()
                t.primaryKey(["owner_id", "client_entry_id", "phone"])
            }
            try db.create(index: "book_numbers_by_phone", on: "book_numbers", columns: ["phone", "owner_id"])
            // Mutual contacts (patent CN103248655A claim 6): each holds the other's number in
            // their address book and both are registered. One row per direction.
            try db.create(table: "mutual_contacts") { t in
                t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("contact_id", .text).notNull().indexed().references("users", onDelete: .cascade)
                t.column("since", .datetime).notNull()
                t.primaryKey(["user_id", "contact_id"])
            }
            // Numbers people had: account numbers before a change, phone fields dropped from a
            // card. Query-update finds someone who changed number through them.
            try db.create(table: "former_phones") { t in
                t.column("phone", .text).notNull()
                t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("until", .datetime).notNull()
                t.primaryKey(["phone", "user_id"])
            }
            try db.create(table: "groups") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("owner_id", .text).notNull().indexed().references("users", onDelete: .cascade)
                t.column("created_at", .datetime).notNull()
            }
            // The patent's group table: each member's user id and phone, role and permission tag.
            try db.create(table: "group_members") { t in
                t.column("group_id", .text).notNull().references("groups", onDelete: .cascade)
                t.column("user_id", .text).notNull().indexed().references("users", onDelete: .cascade)
                t.column("phone", .text).notNull()
                t.column("role", .text).notNull()
                t.column("tag", .text)
                t.column("joined_at", .datetime).notNull()
                t.primaryKey(["group_id", "user_id"])
            }
            // `invitee_user_id` is NULL while the number is unregistered (the invitation waits), set
            // once it is in the invitee's inbox.
            try db.create(table: "group_invitations") { t in
                t.primaryKey("id", .text)
                t.column("group_id", .text).notNull().indexed().references("groups", onDelete: .cascade)
                t.column("inviter_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("invitee_user_id", .text).indexed().references("users", onDelete: .cascade)
                t.column("invitee_phone", .text).indexed()
                t.column("tag", .text)
                t.column("created_at", .datetime).notNull()
                t.column("delivered_at", .datetime)
            }
        }
        migrator.registerMigration("v3: lookup budgets") { db in
            // Anti-enumeration budgets (SPEC §3.6): `key` is account:<user id> or
            // address:<client address>; tokens left at updated_at (the rule is configuration).
            try db.create(table: "lookup_budgets") { t in
                t.primaryKey("key", .text)
                t.column("tokens", .double).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            // The numbers each budget already paid for, as keyed digests (never the numbers).
            try db.create(table: "lookup_seen", options: .withoutRowID) { t in
                t.column("key", .text).notNull()
                t.column("digest", .blob).notNull()
                t.column("seen_at", .datetime).notNull()
                t.primaryKey(["key", "digest"])
            }
        }
        migrator.registerMigration("v4: paid numbers in batches") { db in
            // The numbers each budget paid for (as keyed digests, never the numbers), appended
            // once per save as one packed batch (16 bytes a number) and filed by day (days since
            // 1970, UTC), so that a save appends one row per budget and old days are forgotten by
            // a range delete. Replaces v3's row per number, whose inserts landed all over its index.
            try db.create(table: "lookup_paid") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull()
                t.column("day", .integer).notNull().indexed()
                t.column("digests", .blob).notNull()
            }
            try db.create(index: "lookup_paid_on_key_day", on: "lookup_paid", columns: ["key", "day"])
            let rows = try Row.fetchCursor(
                db, sql: "SELECT key, CAST(julianday(seen_at) - 2440587.5 AS INTEGER), digest FROM lookup_seen ORDER BY 1, 2")
            var batch: (key: String, day: Int, digests: Data)?
            func flush() throws {
                guard let batch else { return }
                try db.execute(
                    sql: "INSERT INTO lookup_paid (key, day, digests) VALUES (?, ?, ?)", arguments: [batch.key, batch.day, batch.digests])
            }
            while let row = try rows.next() {
                let (key, day, digest): (String, Int, Data) = (row[0], row[1], row[2])
                guard digest.count == 16 else { continue }  // v3 stored 16-byte digests
                if batch?.key == key, batch?.day == day {
                    batch?.digests += digest
                } else {
                    try flush()
                    batch = (key, day, digest)
                }
            }
            try flush()
            try db.drop(table: "lookup_seen")
        }
        // From v5 on, a migration checks the foreign keys of the tables it changes itself
        // (`db.checkForeignKeys(in:)`): GRDB's default check after each migration reads every
        // table, and at a million people the address books alone hold a hundred million rows.
        migrator = migrator.disablingDeferredForeignKeyChecks()
        migrator.registerMigration("v5: cards as protobuf bytes") { db in
            // Cards were JSON text; from here `content` holds the bytes of cardex.storage.v1.Card
            // (Proto/cardex/storage/v1/card.proto), a BLOB. See storeCardsAsProtobuf.
            try storeCardsAsProtobuf(db)
        }
        migrator.registerMigration("v6: app-password sessions") { db in
            // What a session's secret opens (DeviceSession.Kind): existing sessions are devices.
            try db.alter(table: "sessions") { t in
                t.add(column: "kind", .text).notNull().defaults(to: "device")
            }
        }
        migrator.registerMigration("v7: the address books' change log") { db in
            // CardexCore's BookLog: each owner's latest revision, the horizon before which the
            // log was pruned, and how many ids it holds; the revision of each id's last write.
            try db.create(table: "book_revisions") { t in
                t.primaryKey("owner_id", .text).references("users", onDelete: .cascade)
                t.column("latest", .integer).notNull()
                t.column("horizon", .integer).notNull()
                t.column("logged", .integer).notNull()
            }
            try db.create(table: "book_log") { t in
                t.column("owner_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("client_entry_id", .text).notNull()
                t.column("revision", .integer).notNull()
                t.primaryKey(["owner_id", "client_entry_id"])
            }
            try db.create(index: "book_log_by_revision", on: "book_log", columns: ["owner_id", "revision", "client_entry_id"])
        }
        migrator.registerMigration("v8: accounts apart from the address books") { db in
            // Every table but the books' moves to the accounts file (see moveAccountsApart).
            try moveAccountsApart(db)
        }
        return migrator
    }
}
