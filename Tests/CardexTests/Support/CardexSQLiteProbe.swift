import CardexSQLite

/// Opens a second store on a server's database file, to ask it about its own connections.
enum CardexSQLiteProbe {
    static func open(_ path: String) async throws -> SQLiteStore {
        try await SQLiteStore.open(SQLiteStore.Configuration(path: path))
    }
}
