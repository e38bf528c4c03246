/// How ``PostgresStore/bulkSeed(_:of:now:limits:progress:)`` uses the server and reports. Each
/// value is written once, in ``defaults``.
public struct PostgresBulkSeedLimits: Sendable, Equatable {
    /// Bytes of rows gathered before they are sent as one COPY message.
    public var copyChunkBytes: Int
    /// `maintenance_work_mem` of the seeding transaction, in MiB: memory for each index build's
    /// sort (more sorts in memory, fewer passes over temporary files).
    public var maintenanceWorkMemoryMiB: Int
    /// `work_mem` of the seeding transaction, in MiB: memory for the join that checks each
    /// foreign key when it is added back (the seeded ids' hash table fits).
    public var workMemoryMiB: Int
    /// Accounts between two progress reports of a table's copy.
    public var progressInterval: Int

    /// Creates limits.
    public init(copyChunkBytes: Int, maintenanceWorkMemoryMiB: Int, workMemoryMiB: Int, progressInterval: Int) {
        self.copyChunkBytes = copyChunkBytes
        self.maintenanceWorkMemoryMiB = maintenanceWorkMemoryMiB
        self.workMemoryMiB = workMemoryMiB
        self.progressInterval = progressInterval
    }

    /// 1 MiB of rows per COPY message, 1 GiB of `maintenance_work_mem` for the index builds,
    /// 256 MiB of `work_mem` for the foreign-key checks, progress every 10,000 accounts.
    public static var defaults: PostgresBulkSeedLimits {
        PostgresBulkSeedLimits(copyChunkBytes: 1 << 20, maintenanceWorkMemoryMiB: 1024, workMemoryMiB: 256, progressInterval: 10_000)
    }
}
