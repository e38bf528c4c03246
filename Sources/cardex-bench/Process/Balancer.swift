import Foundation

/// HAProxy (Debian's `haproxy`, as `Tests/cli/balanced.sh` and docs/DEPLOYMENT.md run it) in TCP
/// mode, in the foreground as a child of this process, with one frontend per named group of
/// backend ports on a free loopback port of its own. Stopped by ``stop()``.
final class Balancer: Sendable {
    /// The port each frontend listens on, by name.
    let ports: [String: Int]
    private let process: Process
    private let directory: URL

    /// Starts HAProxy with a frontend for each of `groups` (name, backend ports) and waits until
    /// every frontend accepts connections (5 s at most).
    static func start(_ groups: [(name: String, backends: [Int])]) throws -> Balancer {
        let executable = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable else { throw BenchError("haproxy is not installed: run scripts/bootstrap.sh (Debian's haproxy)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-bench-haproxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var ports: [String: Int] = [:]
        var configuration = """
            defaults
                mode tcp
                timeout connect 2s
                timeout client 10m
                timeout server 10m
                option redispatch 1

            """
        for group in groups {
            let port = try freePort()
            ports[group.name] = port
            configuration += """
                listen \(group.name)
                    bind 127.0.0.1:\(port)
                    balance leastconn

                """
            for (index, backend) in group.backends.enumerated() {
                configuration += "    server s\(index) 127.0.0.1:\(backend)\n"
            }
        }
        let file = directory.appendingPathComponent("haproxy.cfg")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-db", "-f", file.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let balancer = Balancer(ports: ports, process: process, directory: directory)
        for port in ports.values {
            guard waitForListener(port: port, seconds: 5) else {
                balancer.stop()
                throw BenchError("haproxy did not listen on port \(port) within 5 s")
            }
        }
        return balancer
    }

    private init(ports: [String: Int], process: Process, directory: URL) {
        self.ports = ports
        self.process = process
        self.directory = directory
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A loopback port free now (bound, read, released).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// 127.0.0.1:`port` as a socket address.
    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    /// Whether something accepts connections on the loopback `port` within `seconds`.
    private static func waitForListener(port: Int, seconds: Int) -> Bool {
        for _ in 0..<(seconds * 20) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopback(port: port)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(fd)
            if connected { return true }
            usleep(50_000)
        }
        return false
    }
}
