import CardexCore
import Foundation
import PostgresNIO

/// The book's change log (``BookLog``), as SQLite keeps it: `book_revisions` holds each owner's
/// latest revision, horizon and logged-id count, `book_log` each logged id's last revision.
extension PostgresTransaction {
    func bookRevision(of owner: UserID) async throws -> BookRevision {
        let row = try await rows("SELECT latest, horizon FROM book_revisions WHERE owner_id = \(owner.rawValue)").first
        guard let (latest, horizon) = try row?.decode((Int64, Int64).self) else { return BookRevision(latest: 0, horizon: 0) }
        return BookRevision(latest: latest, horizon: horizon)
    }

    func bookChanges(of owner: UserID, after position: BookLogPosition, limit: Int) async throws -> [BookLogChange] {
        // Without an entry id, every entry of the position's revision is past: any id is after "".
        let (revision, entryID) = position.entryID.map { (position.revision, $0) } ?? (position.revision + 1, "")
        return try await rows(
            """
            SELECT l.client_entry_id, l.revision, e.content FROM book_log l
            LEFT JOIN book_entries e ON e.owner_id = l.owner_id AND e.client_entry_id = l.client_entry_id
            WHERE l.owner_id = \(owner.rawValue) AND (l.revision, l.client_entry_id) > (\(revision), \(entryID))
            ORDER BY l.revision, l.client_entry_id LIMIT \(limit)
            """
        ).map { row in
            let (id, revision, content) = try row.decode((String, Int64, String?).self)
            return BookLogChange(clientEntryID: id, revision: revision, entry: try content.map { try StoredJSON.decode(BookEntry.self, from: $0) })
        }
    }

    /// Records a write of `ids` (distinct) as the book's next revision, and prunes the log to
    /// `kept` ids. Nothing when `ids` is empty (nothing changed).
    func logBookWrite(of ids: [String], owner: UserID, keeping kept: Int) async throws {
        guard !ids.isEmpty else { return }
        // The counter row first: of two writers to one book, the second waits here for the first.
        guard
            let revision = try await value(
                """
                INSERT INTO book_revisions (owner_id, latest, horizon, logged) VALUES (\(owner.rawValue), 1, 0, 0)
                ON CONFLICT (owner_id) DO UPDATE SET latest = book_revisions.latest + 1 RETURNING latest
                """, as: Int64.self)
        else { throw PostgresStoreError.noRowReturned("logBookWrite") }
        // The CTEs read the log as it was before the upsert: the ids it did not hold are added.
        guard
            let logged = try await value(
                """
                WITH held AS (
                    SELECT count(*) AS n FROM book_log WHERE owner_id = \(owner.rawValue) AND client_entry_id = ANY(\(ids)::text[])
                ), upserted AS (
                    INSERT INTO book_log (owner_id, client_entry_id, revision)
                    SELECT \(owner.rawValue), id, \(revision) FROM UNNEST(\(ids)::text[]) AS l (id)
                    ON CONFLICT (owner_id, client_entry_id) DO UPDATE SET revision = EXCLUDED.revision
                )
                UPDATE book_revisions SET logged = logged + \(ids.count) - (SELECT n FROM held)
                WHERE owner_id = \(owner.rawValue) RETURNING logged
                """, as: Int64.self)
        else { throw PostgresStoreError.noRowReturned("logBookWrite") }
        if logged > kept { try await pruneBookLog(of: owner, excess: Int(logged) - kept) }
    }

    /// Drops the oldest revisions from the owner's log, whole, until `excess` ids are gone, and
    /// moves the horizon to the newest revision dropped.
    private func pruneBookLog(of owner: UserID, excess: Int) async throws {
        try await execute(
            """
            WITH horizon AS (
                SELECT revision FROM book_log WHERE owner_id = \(owner.rawValue)
                ORDER BY revision, client_entry_id LIMIT 1 OFFSET \(excess - 1)
            ), pruned AS (
                DELETE FROM book_log WHERE owner_id = \(owner.rawValue) AND revision <= (SELECT revision FROM horizon) RETURNING 1
            )
            UPDATE book_revisions SET horizon = (SELECT revision FROM horizon), logged = logged - (SELECT count(*) FROM pruned)
            WHERE owner_id = \(owner.rawValue) AND EXISTS (SELECT 1 FROM horizon)
            """)
    }
}
