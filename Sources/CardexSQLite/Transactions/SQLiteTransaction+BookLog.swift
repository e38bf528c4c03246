import CardexCore
import Foundation
import GRDB

/// The book's change log (``BookLog``): `book_revisions` holds each owner's latest revision,
/// horizon and logged-id count, `book_log` each logged id's last revision.
extension SQLiteTransaction {
    func bookRevision(of owner: UserID) async throws -> BookRevision {
        let row = try Row.fetchOne(db, sql: "SELECT latest, horizon FROM book_revisions WHERE owner_id = ?", arguments: [owner.rawValue])
        return row.map { BookRevision(latest: $0[0], horizon: $0[1]) } ?? BookRevision(latest: 0, horizon: 0)
    }

    func bookChanges(of owner: UserID, after position: BookLogPosition, limit: Int) async throws -> [BookLogChange] {
        let select = """
            SELECT l.client_entry_id, l.revision, e.content FROM book_log l
            LEFT JOIN book_entries e ON e.owner_id = l.owner_id AND e.client_entry_id = l.client_entry_id
            """
        let order = "ORDER BY l.revision, l.client_entry_id LIMIT ?"
        let rows: RowCursor
        if let entryID = position.entryID {
            rows = try Row.fetchCursor(
                db, sql: "\(select) WHERE l.owner_id = ? AND (l.revision > ? OR (l.revision = ? AND l.client_entry_id > ?)) \(order)",
                arguments: [owner.rawValue, position.revision, position.revision, entryID, limit])
        } else {
            rows = try Row.fetchCursor(
                db, sql: "\(select) WHERE l.owner_id = ? AND l.revision > ? \(order)", arguments: [owner.rawValue, position.revision, limit])
        }
        let decoder = JSONDecoder()
        var changes: [BookLogChange] = []
        while let row = try rows.next() {
            let content: String? = row[2]
            changes.append(
                BookLogChange(
                    clientEntryID: row[0], revision: row[1], entry: try content.map { try decoder.decode(BookEntry.self, from: Data($0.utf8)) }))
        }
        return changes
    }

    /// Records a write of `ids` as the book's next revision, and prunes the log to
    /// `kept` ids. Nothing when `ids` is empty (nothing changed).
    func logBookWrite(of ids: [String], owner: UserID, keeping kept: Int) throws {
        guard !ids.isEmpty else { return }
        let revision = try Int64.fetchOne(
            db,
            sql: """
                INSERT INTO book_revisions (owner_id, latest, horizon, logged) VALUES (?, 1, 0, 0)
                ON CONFLICT (owner_id) DO UPDATE SET latest = latest + 1 RETURNING latest
                """,
            arguments: [owner.rawValue])!
        let update = try db.cachedStatement(sql: "UPDATE book_log SET revision = ? WHERE owner_id = ? AND client_entry_id = ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO book_log (owner_id, client_entry_id, revision) VALUES (?, ?, ?)")
        var added = 0
        for id in ids {
            try update.execute(arguments: [revision, owner.rawValue, id])
            if db.changesCount == 0 {
                try insert.execute(arguments: [owner.rawValue, id, revision])
                added += 1
            }
        }
        let logged = try Int.fetchOne(
            db, sql: "UPDATE book_revisions SET logged = logged + ? WHERE owner_id = ? RETURNING logged", arguments: [added, owner.rawValue])!
        if logged > kept { try pruneBookLog(of: owner, excess: logged - kept) }
    }

    /// Drops the oldest revisions from the owner's log, whole, until `excess` ids are gone, and
    /// moves the horizon to the newest revision dropped.
    private func pruneBookLog(of owner: UserID, excess: Int) throws {
        guard
            let horizon = try Int64.fetchOne(
                db, sql: "SELECT revision FROM book_log WHERE owner_id = ? ORDER BY revision, client_entry_id LIMIT 1 OFFSET ?",
                arguments: [owner.rawValue, excess - 1])
        else { return }
        try db.execute(sql: "DELETE FROM book_log WHERE owner_id = ? AND revision <= ?", arguments: [owner.rawValue, horizon])
        try db.execute(
            sql: "UPDATE book_revisions SET horizon = ?, logged = logged - ? WHERE owner_id = ?",
            arguments: [horizon, db.changesCount, owner.rawValue])
    }
}
