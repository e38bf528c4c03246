import Foundation
import Synchronization

/// What `run` must undo if it is interrupted: child processes to stop and folders to delete.
///
/// ``installSignalHandlers()`` turns SIGINT, SIGTERM and SIGHUP into: SIGTERM to every
/// registered child, deletion of every registered folder, then exit with 128 + the signal.
/// On a normal exit the owners clean up themselves and unregister. Safe from any thread.
enum RunCleanup {
    private struct Pending {
        var processes: Set<pid_t> = []
        var directories: Set<URL> = []
    }

    private static let pending = Mutex(Pending())
    private static let signalSources = Mutex<[any DispatchSourceSignal]>([])
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Remembers a started child process.
    static func register(process pid: pid_t) {
        pending.withLock { _ = $0.processes.insert(pid) }
    }

    /// Forgets a child that has exited.
    static func unregister(process pid: pid_t) {
        pending.withLock { _ = $0.processes.remove(pid) }
    }

    /// Remembers a temporary folder.
    static func register(directory: URL) {
        pending.withLock { _ = $0.directories.insert(directory) }
    }

    /// Forgets a folder that has been deleted.
    static func unregister(directory: URL) {
        pending.withLock { _ = $0.directories.remove(directory) }
    }

    /// Routes the terminating signals through ``cleanUp()``. Call once, before starting children.
    static func installSignalHandlers() {
        signalSources.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in signals {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    cleanUp()
                    exit(128 + signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// Sends SIGTERM to every registered child and deletes every registered folder.
    static func cleanUp() {
        let (processes, directories) = pending.withLock { ($0.processes, $0.directories) }
        for pid in processes { kill(pid, SIGTERM) }
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
    }
}
