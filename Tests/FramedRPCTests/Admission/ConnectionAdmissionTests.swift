import NIOCore
import Testing

@testable import FramedRPC

@Suite("Connection admission: limits per address and overall")
struct ConnectionAdmissionTests {
    let officeA = ConnectionOrigin.ipv4(1)
    let officeB = ConnectionOrigin.ipv4(2)
    let officeC = ConnectionOrigin.ipv4(3)

    @Test("an address over its pending limit displaces its own oldest pending connection, no one else's")
    func pendingPerAddress() {
        let limits = ServerConfiguration.Admission(maxConnections: 10, maxConnectionsPerAddress: 10, maxPendingHandshakesPerAddress: 2)
        var admission = ConnectionAdmission<Int>()
        #expect(admission.admit(0, from: officeB, limits: limits) == .admit(displacing: nil))
        #expect(admission.admit(1, from: officeA, limits: limits) == .admit(displacing: nil))
        #expect(admission.admit(2, from: officeA, limits: limits) == .admit(displacing: nil))
        #expect(admission.admit(3, from: officeA, limits: limits) == .admit(displacing: 1))
        #expect(admission.tally(of: officeA) == .init(open: 2, pending: 2))
        #expect(admission.tally(of: officeB) == .init(open: 1, pending: 1))
        // An established connection is not pending: it leaves room for another handshake.
        admission.established(2)
        #expect(admission.admit(4, from: officeA, limits: limits) == .admit(displacing: nil))
    }

    @Test("an address at its connection limit is refused once nothing of it is pending; another address is not")
    func openPerAddress() {
        let limits = ServerConfiguration.Admission(maxConnections: 10, maxConnectionsPerAddress: 3, maxPendingHandshakesPerAddress: 3)
        var admission = ConnectionAdmission<Int>()
        for id in 0..<3 {
            #expect(admission.admit(id, from: officeA, limits: limits) == .admit(displacing: nil))
        }
        admission.established(0)
        admission.established(2)
        // Pending connection 1 gives way to the newcomer from the same address.
        #expect(admission.admit(3, from: officeA, limits: limits) == .admit(displacing: 1))
        admission.established(3)
        #expect(admission.admit(4, from: officeA, limits: limits) == .refuse)
        #expect(admission.admit(5, from: officeB, limits: limits) == .admit(displacing: nil))
        #expect(admission.tally(of: officeA) == .init(open: 3, pending: 0))
    }

    @Test("a full server makes room by closing the oldest pending connection, from any address; full of established ones it refuses")
    func fullServer() {
        let limits = ServerConfiguration.Admission(maxConnections: 4, maxConnectionsPerAddress: 4, maxPendingHandshakesPerAddress: 4)
        var admission = ConnectionAdmission<Int>()
        for (id, origin) in [(0, officeA), (1, officeA), (2, officeB), (3, officeB)] {
            #expect(admission.admit(id, from: origin, limits: limits) == .admit(displacing: nil))
        }
        admission.established(0)
        #expect(admission.admit(4, from: officeC, limits: limits) == .admit(displacing: 1))
        #expect(admission.count == 4)
        #expect(admission.pendingCount == 3)
        for id in [2, 3, 4] { admission.established(id) }
        #expect(admission.admit(5, from: officeC, limits: limits) == .refuse)
        #expect(admission.count == 4)
    }

    @Test("on a full server, an address over its limit displaces its own pending connection, not an older one of another address")
    func ownPendingFirst() {
        let limits = ServerConfiguration.Admission(maxConnections: 3, maxConnectionsPerAddress: 3, maxPendingHandshakesPerAddress: 1)
        var admission = ConnectionAdmission<Int>()
        #expect(admission.admit(0, from: officeB, limits: limits) == .admit(displacing: nil))
        #expect(admission.admit(1, from: officeA, limits: limits) == .admit(displacing: nil))
        admission.established(1)
        #expect(admission.admit(2, from: officeA, limits: limits) == .admit(displacing: nil))
        #expect(admission.admit(3, from: officeA, limits: limits) == .admit(displacing: 2))
        #expect(admission.count == 3)
        #expect(admission.tally(of: officeB) == .init(open: 1, pending: 1))
    }

    @Test("closing forgets a connection once; establishing or closing one not held changes nothing")
    func bookkeeping() {
        let limits = ServerConfiguration.Admission.defaults
        var admission = ConnectionAdmission<Int>()
        _ = admission.admit(0, from: officeA, limits: limits)
        _ = admission.admit(1, from: officeA, limits: limits)
        admission.established(0)
        admission.closed(0)
        admission.closed(0)
        admission.established(7)
        admission.closed(7)
        #expect(admission.count == 1)
        #expect(admission.tally(of: officeA) == .init(open: 1, pending: 1))
        admission.closed(1)
        #expect(admission.count == 0)
        #expect(admission.pendingCount == 0)
        #expect(admission.tally(of: officeA) == .init())
    }

    @Test("a draining server refuses every new connection and still forgets the ones it holds")
    func draining() {
        let limits = ServerConfiguration.Admission.defaults
        var admission = ConnectionAdmission<Int>()
        #expect(admission.admit(0, from: officeA, limits: limits) == .admit(displacing: nil))
        #expect(!admission.isDraining)
        admission.drain()
        #expect(admission.isDraining)
        #expect(admission.admit(1, from: officeB, limits: limits) == .refuse)
        #expect(admission.count == 1)
        admission.established(0)
        admission.closed(0)
        #expect(admission.count == 0)
        #expect(admission.admit(2, from: officeA, limits: limits) == .refuse)
    }

    @Test("IPv4 addresses count apart, IPv6 ones by /64, IPv4-mapped IPv6 as its IPv4 address")
    func origins() throws {
        func origin(_ ip: String) throws -> ConnectionOrigin {
            ConnectionOrigin(try SocketAddress(ipAddress: ip, port: 443))
        }
        #expect(try origin("127.0.0.1") != origin("127.0.0.2"))
        #expect(try origin("127.0.0.1") == ConnectionOrigin(try SocketAddress(ipAddress: "127.0.0.1", port: 1)))
        #expect(try origin("2001:db8:1:2::1") == origin("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        #expect(try origin("2001:db8:1:2::1") != origin("2001:db8:1:3::1"))
        #expect(try origin("::ffff:192.0.2.7") == origin("192.0.2.7"))
    }
}
