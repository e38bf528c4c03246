import CardexClient
import FramedRPC
import Synchronization

/// Write loops against a server until it goes away: writer `i` writes as person `i % people`,
/// cycling through the ``WriteLoad/Kind``s, and stops at its first failed call.
final class WriterPool: Sendable {
    private final class Counters: Sendable {
        let calls = Atomic<Int>(0)
        let succeeded = Atomic<Int>(0)
    }

    private let counters: Counters
    private let task: Task<[any Error], Never>

    /// Starts `writers` loops at once.
    init(writers: Int, load: WriteLoad, clients: [CardexClient], phones: [String]) {
        let counters = Counters()
        self.counters = counters
        task = Task {
            await withTaskGroup(of: (any Error).self) { group in
                for writer in 0..<writers {
                    let (client, phone) = (clients[writer % clients.count], phones[writer % phones.count])
                    group.addTask {
                        var round = writer
                        while true {
                            let kind = WriteLoad.Kind.allCases[round % WriteLoad.Kind.allCases.count]
                            round += 1
                            counters.calls.add(1, ordering: .relaxed)
                            defer { counters.calls.subtract(1, ordering: .relaxed) }
                            do {
                                try await load.perform(kind, as: phone, through: client)
                                counters.succeeded.add(1, ordering: .relaxed)
                            } catch {
                                return error
                            }
                        }
                    }
                }
                var errors: [any Error] = []
                for await error in group { errors.append(error) }
                return errors
            }
        }
    }

    /// Calls in flight now.
    var inFlight: Int { counters.calls.load(ordering: .relaxed) }

    /// Calls answered OK so far.
    var acknowledged: Int { counters.succeeded.load(ordering: .relaxed) }

    /// Waits for every writer to stop; returns the error each stopped with.
    func errors() async -> [any Error] {
        await task.value
    }
}

/// The status code of a call's error: its ``RPCError`` code, or `nil` for any other error.
func statusCode(of error: any Error) -> StatusCode? {
    (error as? RPCError)?.code
}
