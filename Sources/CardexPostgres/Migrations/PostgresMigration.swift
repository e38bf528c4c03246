/// One step of the schema: SQL statements applied once, together, in one transaction.
///
/// Rules: a shipped migration is never edited (databases in the field already ran it); a change
/// is a new migration appended at the end. Migrations are plain SQL on table and column names,
/// never the app's types, so later changes to those types cannot alter an old migration.
public struct PostgresMigration: Sendable, Equatable {
    /// The name recorded in `schema_migrations` once applied; unique in the list.
    public let id: String
    /// The statements, run in order, one at a time (PostgreSQL's extended protocol takes one
    /// statement per query).
    public let statements: [String]

    /// Creates a migration.
    public init(_ id: String, _ statements: [String]) {
        self.id = id
        self.statements = statements
    }
}
