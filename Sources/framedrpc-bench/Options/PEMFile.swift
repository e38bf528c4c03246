import ArgumentParser
import Foundation

/// Checks that a PEM option names a readable file, so a typo fails with the option's name
/// rather than TLS's `noSuchFilesystemObject`.
enum PEMFile {
    /// Throws a `ValidationError` naming `option` unless `path` is a readable file.
    static func validate(_ path: String, option: String, what: String) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ValidationError("\(option) \(path): no readable file there; pass the PEM \(what).")
        }
    }
}
