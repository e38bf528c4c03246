import CardexCore
import PostgresNIO

extension PostgresStore: PresenceRecording {
    public func keepInstanceAlive(for expiry: Duration) async throws -> Bool {
        try await withConnection { connection in
            // `xmax = 0`: the row was inserted, not updated (an updated row carries the updating
            // transaction's id there).
            let rows = try await connection.query(
                """
                WITH gone AS (DELETE FROM instances WHERE expires_at < now() AND id <> \(instance))
                INSERT INTO instances AS i (id, expires_at) VALUES (\(instance), now() + \(expiry.timeInterval) * interval '1 second')
                ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at
                RETURNING (i.xmax = 0)
                """, logger: pool.logger)
            for try await (inserted, ) in rows.decode((Bool,).self) { return inserted }
            throw PostgresStoreError.noRowReturned("instances")
        }
    }

    public func recordPresence(online: [UserID], offline: [UserID]) async throws {
        guard !online.isEmpty || !offline.isEmpty else { return }
        try await withConnection { connection in
            try await connection.query(
                """
                WITH gone AS (
                    DELETE FROM device_presence WHERE instance_id = \(instance) AND user_id = ANY(\(offline.map(\.rawValue))::text[])
                )
                INSERT INTO device_presence (user_id, instance_id)
                SELECT u.id, \(instance) FROM users u WHERE u.id = ANY(\(online.map(\.rawValue))::text[])
                ON CONFLICT DO NOTHING
                """, logger: pool.logger)
        }
    }

    public func removeInstance() async throws {
        try await withConnection { connection in
            try await connection.query("DELETE FROM instances WHERE id = \(instance)", logger: pool.logger)
        }
    }
}
