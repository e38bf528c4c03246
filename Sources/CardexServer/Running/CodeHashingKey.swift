import Crypto
import Foundation

/// The secret that keys verification-code hashes, kept in a file beside the database (not in it).
enum CodeHashingKey {
    /// The key in `path`, created (256 random bits, mode 0600) if the file is missing; its
    /// directory is the data directory, which ``DataDirectory/secure(_:logger:)`` made.
    /// - Throws: when the file cannot be read or written, or holds fewer than 32 bytes.
    static func loadOrCreate(at path: String) throws -> Data {
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: path) {
            let key = try Data(contentsOf: url)
            guard key.count >= 32 else {
                throw CocoaError(
                    .fileReadCorruptFile,
                    userInfo: [
                        NSFilePathErrorKey: path,
                        NSLocalizedDescriptionKey: "\(path) holds fewer than 32 bytes: delete it to make a new key (codes already sent become invalid)",
                    ])
            }
            return key
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try DataDirectory.writePrivately(key, to: path)
        return key
    }
}
