import Foundation

/// A self-signed P-256 certificate for `localhost` and 127.0.0.1, valid 2 days, in a temporary
/// folder; it is its own CA. Made with openssl the way the grpc-swift-2 anchor's run.sh makes its own.
struct ThrowawayCertificate: Sendable {
    /// The folder holding both files; ``remove()`` deletes it.
    let directory: URL
    /// PEM certificate: the servers' chain and the clients' trust root.
    var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    /// PEM private key.
    var keyPath: String { directory.appendingPathComponent("key.pem").path }

    /// Runs `openssl req`; throws ``RunError/opensslFailed(status:)`` if it fails.
    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("framedrpc-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        RunCleanup.register(directory: directory)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", keyPath, "-out", certificatePath, "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        do {
            try openssl.run()
        } catch {
            remove()
            throw RunError.opensslFailed(status: -1)
        }
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            remove()
            throw RunError.opensslFailed(status: openssl.terminationStatus)
        }
    }

    /// Deletes the folder and both files.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
        RunCleanup.unregister(directory: directory)
    }
}
