import CardexCore
import Foundation
import GRDB
import NIOPosix
import Testing

@testable import CardexSQLite

@Suite("Hot reads (a session, a lookup) run off the caller's thread")
struct HotReadTests {
    @Test("a hot read runs on a reader thread, never the calling one, which may be an event loop")
    func readsOnReaderThread() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hot-read-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: directory.appendingPathComponent("cardex.sqlite").path))
        // An event loop reading through the store: the read must not run on the loop itself.
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let reader = try await loop.flatSubmit {
            loop.makeFutureWithTask { try await store.readOffLoop { _ in Thread.current.name ?? "" } }
        }.get()
        #expect(reader.hasPrefix("TP-#"), "read on \(reader)")
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 { group.addTask { try await store.readOffLoop { _ in Thread.current.name ?? "" } } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names.allSatisfy { $0.hasPrefix("TP-#") }, "\(names)")
    }

    @Test("hot reads read the accounts file through their own page cache, unmapped; the books' file is never mapped")
    func hotReadCache() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hot-read-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = SQLiteStore.Configuration(path: directory.appendingPathComponent("cardex.sqlite").path, hotReadCacheBytes: 96 << 20)
        let store = try await SQLiteStore.open(configuration)
        let pragmas: @Sendable (GRDB.Database) throws -> [Int] = { db in
            try ["accounts.cache_size", "accounts.mmap_size", "main.mmap_size"].map { try Int.fetchOne(db, sql: "PRAGMA \($0)") ?? 0 }
        }
        #expect(try await store.readOffLoop(pragmas) == [-(96 << 10), 0, 0])
        // The pool's connections map the accounts file and keep the ordinary cache.
        #expect(try await store.pool.read(pragmas) == [-(configuration.pageCacheBytes >> 10), configuration.memoryMapBytes, 0])
    }
}
