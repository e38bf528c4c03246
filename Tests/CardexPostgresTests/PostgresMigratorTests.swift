import CardexPostgres
import CardexPostgresTestSupport
import PostgresNIO
import Testing

@Suite("PostgresMigrator: append-only migrations on a real server")
struct PostgresMigratorTests {
    /// The final shape of CardexSQLite's schema (its migrations v1 to v7).
    static let tables: Set<String> = [
        "users", "sessions", "verification_codes", "code_requests", "cards", "card_history", "outbox",
        "shares", "event_counters", "events", "book_entries", "book_numbers", "mutual_contacts",
        "former_phones", "groups", "group_members", "group_invitations", "lookup_budgets", "lookup_paid",
        "schema_migrations", "server_secret", "instances", "device_presence", "book_revisions", "book_log",
    ]
    /// SQLite's indexes under their names and its unique constraints, the two indexes PostgreSQL
    /// adds for its cascades, and the one for removing an instance's devices (primary keys aside).
    static let indexes: Set<String> = [
        "sessions_on_user_id", "verification_codes_on_requester_id", "verification_codes_by_phone",
        "code_requests_by_phone", "code_requests_by_address", "outbox_on_recipient", "outbox_due",
        "outbox_by_recipient_kind", "shares_by_owner", "shares_by_recipient", "shares_by_phone",
        "book_numbers_by_phone", "mutual_contacts_on_contact_id", "former_phones_on_user_id",
        "groups_on_owner_id", "group_members_on_user_id", "group_invitations_on_group_id",
        "group_invitations_on_invitee_user_id", "group_invitations_on_invitee_phone",
        "group_invitations_on_inviter_id", "lookup_paid_on_day", "lookup_paid_on_key_day",
        "users_phone_key", "sessions_token_hash_key",  // the unique constraints
        "device_presence_on_instance_id", "book_log_by_revision",
    ]

    @Test("migrating a fresh database creates every table and index and records each migration")
    func freshDatabase() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                let migrator = PostgresMigrator()
                #expect(try await migrator.appliedMigrations(pool) == [])
                #expect(try await migrator.migrate(pool) == PostgresSchema.migrations.map(\.id))
                #expect(try await Self.names("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", pool) == Self.tables)
                let indexes = try await Self.names(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'",
                    pool)
                #expect(indexes == Self.indexes)
                #expect(try await migrator.appliedMigrations(pool) == PostgresSchema.migrations.map(\.id))
            }
        }
    }

    @Test("the schema holds: cards are bytes, a user's deletion cascades")
    func schemaHolds() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                try await PostgresMigrator().migrate(pool)
                let card: [UInt8] = [0x0a, 0x03, 0x41, 0x64, 0x61, 0x00, 0xff]
                try await pool.withTransaction { connection in
                    try await connection.query(
                        """
                        INSERT INTO users (id, phone, created_at, cloud_address_book, auto_send_card, discoverable_by)
                        VALUES ('u1', '+15550100', now(), true, false, 'everyone')
                        """, logger: TestPostgres.logger)
                    try await connection.query(
                        "INSERT INTO cards (user_id, version, etag, content, updated_at) VALUES ('u1', 1, 'e1', \(ByteBuffer(bytes: card)), now())",
                        logger: TestPostgres.logger)
                }
                let stored = try await pool.withConnection { connection in
                    try await connection.query("SELECT content FROM cards WHERE user_id = 'u1'", logger: TestPostgres.logger)
                        .decode(ByteBuffer.self).first { _ in true }
                }
                #expect(stored.map { Array($0.readableBytesView) } == card)
                try await pool.withConnection { try await $0.query("DELETE FROM users WHERE id = 'u1'", logger: TestPostgres.logger) }
                #expect(try await Self.names("SELECT user_id FROM cards", pool).isEmpty)
            }
        }
    }

    @Test("migrating twice is a no-op")
    func twice() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                let migrator = PostgresMigrator()
                try await migrator.migrate(pool)
                let recorded = try await Self.names("SELECT id || '@' || applied_at FROM schema_migrations", pool)
                #expect(try await migrator.migrate(pool) == [])
                #expect(try await Self.names("SELECT id || '@' || applied_at FROM schema_migrations", pool) == recorded)
            }
        }
    }

    @Test("several migrators at once all succeed and apply each migration once")
    func concurrent() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            let applied = try await withThrowingTaskGroup(of: [String].self, returning: [String].self) { group in
                for _ in 0..<4 {
                    // Each on its own pool: separate connections, as separate Cardex instances.
                    group.addTask { try await TestPostgres.withPool(configuration) { try await PostgresMigrator().migrate($0) } }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(applied.sorted() == PostgresSchema.migrations.map(\.id).sorted())
            try await TestPostgres.withPool(configuration) { pool in
                let count = try await pool.withConnection { connection in
                    try await connection.query("SELECT count(*) FROM schema_migrations", logger: TestPostgres.logger)
                        .decode(Int.self).first { _ in true }
                }
                #expect(count == PostgresSchema.migrations.count)
            }
        }
    }

    @Test("a failing migration is applied not at all, and the ones before it stay applied")
    func failingMigration() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                let migrator = PostgresMigrator(migrations: [
                    PostgresMigration("1: a", ["CREATE TABLE a (x BIGINT)"]),
                    PostgresMigration("2: b, then a mistake", ["CREATE TABLE b (x BIGINT)", "CREATE TABLE a (x BIGINT)"]),
                ])
                await #expect(throws: PSQLError.self) { try await migrator.migrate(pool) }
                let applied = try await migrator.appliedMigrations(pool)
                let tables = try await Self.names("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", pool)
                #expect(applied == ["1: a"])
                #expect(tables == ["a", "schema_migrations"])
            }
        }
    }

    @Test("a database migrated by a newer build, or with a gap, is refused before anything is applied")
    func unknownMigrations() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                let one = PostgresMigration("1: a", ["CREATE TABLE a (x BIGINT)"])
                let two = PostgresMigration("2: b", ["CREATE TABLE b (x BIGINT)"])
                try await PostgresMigrator(migrations: [one, two]).migrate(pool)
                await #expect(throws: PostgresMigrationError.unknownMigrations(["2: b"])) {
                    try await PostgresMigrator(migrations: [one]).migrate(pool)
                }
                try await pool.withConnection { try await $0.query("DELETE FROM schema_migrations WHERE id = '1: a'", logger: TestPostgres.logger) }
                let three = PostgresMigration("3: c", ["CREATE TABLE c (x BIGINT)"])
                await #expect(throws: PostgresMigrationError.outOfOrder(applied: "2: b", missing: "1: a")) {
                    try await PostgresMigrator(migrations: [one, two, three]).migrate(pool)
                }
                #expect(try await Self.names("SELECT tablename FROM pg_tables WHERE tablename = 'c'", pool).isEmpty)
            }
        }
    }

    static func names(_ sql: String, _ pool: PostgresConnectionPool) async throws -> Set<String> {
        try await pool.withConnection { connection in
            var names: Set<String> = []
            for try await name in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestPostgres.logger).decode(String.self) {
                names.insert(name)
            }
            return names
        }
    }
}
