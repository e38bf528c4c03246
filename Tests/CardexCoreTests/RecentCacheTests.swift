import CardexCore
import Testing

@Suite("RecentCache")
struct RecentCacheTests {
    @Test("keeps what was used recently, drops what was not, and makes a value once per key")
    func keepsRecent() {
        let cache = RecentCache<String, Int>(capacity: 4)
        var made = 0
        func value(_ key: String) -> Int {
            cache.value(for: key) { () -> Int in
                made += 1
                return key.count * 10 + made
            }
        }
        for key in ["a", "b", "c"] { _ = value(key) }
        #expect(made == 3)
        #expect(value("a") == 11)  // used again: kept, not made again
        for key in ["d", "e"] { _ = value(key) }
        #expect(cache.value(for: "a") == 11 && cache.value(for: "e") == 15)
        #expect(cache.value(for: "b") == nil)  // not used since: dropped
        #expect(made == 5)
    }
}
