import CardexClient
import CardexProto
import CardexSQLite
import Foundation
import GRDB

/// Checks a restarted server against a ``WriteLedger``: every acknowledged write must be there.
enum LedgerCheck {
    /// What is missing, one line per person and kind; empty when every acknowledged write is
    /// present. Reads through the RPCs, as each person.
    static func missing(_ ledger: WriteLedger, accounts: LoadAccounts, port: Int, trustRoots: String) async throws -> [String] {
        let writes = ledger.snapshot
        let clients = try accounts.clients(port: port, trustRoots: trustRoots)
        defer { Task { for client in clients { await client.close() } } }
        var problems: [String] = []
        for (person, client) in zip(accounts.people, clients) {
            guard let acknowledged = writes[person.phone] else { continue }
            problems += try await missing(acknowledged, of: person.phone, client: client)
        }
        return problems
    }

    private static func missing(_ acknowledged: WriteLedger.Writes, of phone: String, client: CardexClient) async throws -> [String] {
        var problems: [String] = []
        let version = try await client.cards.getMyCard(.init()).version.version
        if version < UInt64(acknowledged.cardVersions) {
            problems.append("\(phone): card version \(version) but \(acknowledged.cardVersions) changes were acknowledged")
        }
        let shares = Set(try await client.shares.listShares(.init()).shares.map(\.shareID))
        let lostShares = acknowledged.shareIDs.filter { !shares.contains($0) }
        if !lostShares.isEmpty { problems.append("\(phone): \(lostShares.count) acknowledged shares missing, such as \(lostShares[0])") }
        var entries = Set<String>()
        var token = ""
        repeat {
            let page = try await client.book.downloadBook(.with { $0.pageToken = token })
            entries.formUnion(page.entries.map(\.clientEntryID))
            token = page.nextPageToken
        } while !token.isEmpty
        let lostEntries = acknowledged.entryIDs.filter { !entries.contains($0) }
        if !lostEntries.isEmpty { problems.append("\(phone): \(lostEntries.count) acknowledged book entries missing, such as \(lostEntries[0])") }
        let groups = Set(try await client.groups.listGroups(.init()).groups.map(\.groupID))
        let lostGroups = acknowledged.groupIDs.filter { !groups.contains($0) }
        if !lostGroups.isEmpty { problems.append("\(phone): \(lostGroups.count) acknowledged groups missing, such as \(lostGroups[0])") }
        return problems
    }

    /// `PRAGMA integrity_check` of the database files of a stopped server (both: the books' at
    /// `path` and the accounts file), write-ahead logs included: `["ok"]` when sound. Read-only,
    /// so the logs stay for the next start to recover.
    static func integrity(ofDatabaseAt path: String) throws -> [String] {
        let queue = try SQLiteStore.connection(to: path, readonly: true)
        defer { try? queue.close() }
        return try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }
}
