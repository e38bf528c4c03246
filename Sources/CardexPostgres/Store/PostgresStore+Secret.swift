import Foundation
import PostgresNIO

extension PostgresStore {
    /// Records `fingerprint` as the fingerprint of the server secret this database is used with,
    /// unless one is recorded already, and returns the recorded one: the given one the first
    /// time, and for every instance after that the first instance's. One statement each, so two
    /// instances starting at once record one of theirs, never both.
    public func adoptSecretFingerprint(_ fingerprint: Data) async throws -> Data {
        try await withConnection { connection in
            try await connection.query(
                "INSERT INTO server_secret (fingerprint) VALUES (\(fingerprint)) ON CONFLICT (only_row) DO NOTHING", logger: pool.logger)
            let rows = try await connection.query("SELECT fingerprint FROM server_secret", logger: pool.logger)
            for try await (recorded, ) in rows.decode((Data,).self) { return recorded }
            throw PostgresStoreError.noRowReturned("server_secret")
        }
    }
}
