import Foundation

/// Unbuffered lines on standard output.
///
/// `print` is block-buffered when stdout is a pipe, so a parent reading a server's
/// `listening on` line would wait forever; every line here is written at once.
enum StandardOutput {
    /// Writes `line` and a newline to stdout immediately. Safe from any thread.
    static func writeLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
