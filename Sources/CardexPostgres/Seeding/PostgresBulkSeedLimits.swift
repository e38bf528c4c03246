/// How ``PostgresStore/bulkSeed(_:of:now:limits:progress:)`` uses the server and reports.
///
/// ``defaults``: 1 MiB of rows per COPY message, 1 GiB of `maintenance_work_mem` for the index
/// builds, 256 MiB of `work_mem` for the foreign-key checks, progress every 10,000 accounts.
public struct PostgresBulkSeedLimits: Sendable, Equatable {
    /// Bytes of rows gathered before they are sent as one COPY message. Default 1 MiB.
    public var copyChunkBytes: Int
    /// `maintenance_work_mem` of the seeding transaction, in MiB: memory for each index build's
    /// sort (more sorts in memory, fewer passes over temporary files). Default 1,024.
    public var maintenanceWorkMemoryMiB: Int
    /// `work_mem` of the seeding transaction, in MiB: memory for the join that checks each
    /// foreign key when it is added back (the seeded ids' hash table fits). Default 256.
    public var workMemoryMiB: Int
    /// Accounts between two progress reports of a table's copy. Default 10,000.
    public var progressInterval: Int

    /// Creates limits; every argument defaults to the value in ``defaults``.
    public init(copyChunkBytes: Int = 1 << 20, maintenanceWorkMemoryMiB: Int = 1024, workMemoryMiB: Int = 256, progressInterval: Int = 10_000) {
        self.copyChunkBytes = copyChunkBytes
        self.maintenanceWorkMemoryMiB = maintenanceWorkMemoryMiB
        self.workMemoryMiB = workMemoryMiB
        self.progressInterval = progressInterval
    }

    /// The documented defaults.
    public static var defaults: PostgresBulkSeedLimits { PostgresBulkSeedLimits() }
}
