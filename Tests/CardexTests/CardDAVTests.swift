import CardexClient
import CardexProto
import CardexServer
import Foundation
import NIOCore
import NIOPosix
import Testing

/// CardDAV (RFC 6352, 6578, 6764) over HTTPS against `cardex serve`'s endpoint, driven with an
/// HTTP client as a contacts app would, and checked against what the generated RPC client sees.
@Suite("CardDAV")
struct CardDAVTests {
    /// Runs `body` against a server whose CardDAV endpoint listens on a free loopback port.
    static func withDAV(
        configure: @escaping (inout CardexServerConfiguration) -> Void = { _ in }, _ body: (CardexTestServer) async throws -> Void
    ) async throws {
        try await withCardex(
            configure: { configuration in
                configuration.cardDAV = .init(host: "127.0.0.1", port: 0)
                configure(&configuration)
            }, body)
    }

    /// An app password for `client`'s person, as a CardDAV client signed in with it, and the
    /// person's user id.
    static func app(_ server: CardexTestServer, _ client: CardexClient, name: String = "Contacts") async throws -> (DAVClient, String) {
        let made = try await client.account.createAppPassword(.with { $0.deviceName = name })
        let userID = try await client.account.getAccount(.init()).userID
        let port = try #require(server.running.cardDAVPort)
        return (DAVClient(port: port, credentials: (made.username, made.password)), userID)
    }

    static func card(_ userID: String, _ collection: String, _ name: String) -> String {
        "/dav/books/\(userID)/\(collection)/\(name)"
    }

    static func vCard(uid: String, name: String, phones: [String] = [], emails: [String] = []) -> String {
        (["BEGIN:VCARD", "VERSION:3.0", "UID:\(uid)", "FN:\(name)", "N:;\(name);;;"]
            + phones.map { "TEL;TYPE=CELL:\($0)" } + emails.map { "EMAIL:\($0)" } + ["END:VCARD", ""]).joined(separator: "\r\n")
    }

    // MARK: - Discovery and sign-in

    @Test("discovery: well-known redirects, the root names the principal, the principal the home, the home its address books")
    func discovery() async throws {
        try await Self.withDAV { server in
            let (phone, _) = try await server.signIn("+15550007001")
            let (dav, me) = try await Self.app(server, phone)
            let wellKnown = try await dav.send("PROPFIND", "/.well-known/carddav", headers: [("Depth", "0")])
            #expect(wellKnown.status == 301 && wellKnown.headers.first(name: "location") == "/dav/")

            let root = try await dav.propfind("/dav/", depth: "0", properties: ["d:current-user-principal"]).multistatus()
            #expect(root["/dav/"]?.found["DAV:current-user-principal"] == "DAV:href")
            let principal = try await dav.send(
                "PROPFIND", "/dav/principals/\(me)/", body: DAVBodies.propfind("<card:addressbook-home-set/><d:displayname/>"), headers: [("Depth", "0")])
            #expect(principal.status == 207)
            #expect(principal.body.contains("<d:href>/dav/books/\(me)/</d:href>"), "\(principal.body)")
            #expect(try principal.multistatus()["/dav/principals/\(me)/"]?.found["DAV:displayname"] == "+15550007001")

            let home = try await dav.propfind("/dav/books/\(me)/", depth: "1", properties: ["d:resourcetype", "d:displayname", "d:sync-token"]).multistatus()
            #expect(home.hrefs == ["/dav/books/\(me)/", "/dav/books/\(me)/contacts/", "/dav/books/\(me)/book/"])
            let contacts = try #require(home["/dav/books/\(me)/contacts/"])
            #expect(contacts.found["DAV:resourcetype"] == "DAV:collection urn:ietf:params:xml:ns:carddavaddressbook")
            #expect(contacts.found["DAV:sync-token"]?.hasPrefix("urn:x-cardex:sync:") == true)
            #expect(home["/dav/books/\(me)/book/"]?.found["DAV:sync-token"]?.hasPrefix("urn:x-cardex:book:") == true)

            let options = try await dav.send("OPTIONS", "/dav/books/\(me)/book/")
            #expect(options.status == 200 && options.headers.first(name: "dav")?.contains("addressbook") == true)
        }
    }

    @Test("only a live app password with the account's number or user id signs in; anything else is 401 and someone else's paths are 404")
    func signIn() async throws {
        try await Self.withDAV { server in
            let (phone, signedIn) = try await server.signIn("+15550007011")
            let (dav, me) = try await Self.app(server, phone)
            let port = dav.port
            let password = try #require(dav.credentials?.password)
            let (other, _) = try await server.signIn("+15550007012")
            let (otherDAV, otherID) = try await Self.app(server, other)

            let attempts: [(String, (String, String)?)] = [
                ("no credentials", nil),
                ("a wrong password", ("+15550007011", "aaaa-bbbb-cccc-dddd-eeee")),
                ("a device's session token", ("+15550007011", signedIn.sessionToken)),
                ("another person's number", ("+15550007012", password)),
                ("another person's password", ("+15550007011", try #require(otherDAV.credentials?.password))),
            ]
            for (what, credentials) in attempts {
                let answer = try await DAVClient(port: port, credentials: credentials).propfind("/dav/", depth: "0")
                #expect(answer.status == 401, "\(what)")
                #expect(answer.headers.first(name: "www-authenticate")?.hasPrefix("Basic realm=") == true, "\(what)")
            }
            // The user id is a user name too; dashes and case in the password do not matter.
            let byID = DAVClient(port: port, credentials: (me, password.uppercased().replacingOccurrences(of: "-", with: "")))
            #expect(try await byID.propfind("/dav/", depth: "0").status == 207)
            // Someone else's resources do not exist for me.
            #expect(try await dav.propfind("/dav/books/\(otherID)/book/", depth: "0").status == 404)
            #expect(try await dav.send("GET", Self.card(otherID, "book", "x.vcf")).status == 404)

            // Revoked: 401 from the next request on.
            let session = try #require(try await phone.account.listSessions(.init()).sessions.first { $0.kind == .appPassword })
            _ = try await phone.account.revokeSession(.with { $0.sessionID = session.sessionID })
            #expect(try await dav.propfind("/dav/", depth: "0").status == 401)
        }
    }

    // MARK: - contacts

    @Test("contacts: cards shared with me as I may see them; a card update and a revoke show up in the next sync-collection")
    func contacts() async throws {
        try await Self.withDAV { server in
            let (ann, annID, bob) = try await SyncTests.annSharesWithBob(server)
            let (dav, bobID) = try await Self.app(server, bob)
            let collection = "/dav/books/\(bobID)/contacts/"
            let href = Self.card(bobID, "contacts", "\(annID).vcf")

            let listed = try await dav.propfind(collection, depth: "1", properties: ["d:getetag", "d:getcontenttype"]).multistatus()
            #expect(listed.hrefs == [collection, href])
            let etag = try #require(listed[href]?.found["DAV:getetag"])
            #expect(listed[href]?.found["DAV:getcontenttype"]?.hasPrefix("text/vcard") == true)

            let got = try await dav.send("GET", href)
            #expect(got.status == 200 && got.headers.first(name: "etag") == etag)
            #expect(got.body.contains("UID;VALUE=text:\(annID)\r\n") && got.body.contains("FN:Ann Lee\r\n"), "\(got.body)")
            #expect(got.body.contains("tel:+15550006001") && !got.body.contains("private"), "\(got.body)")

            let unknown = Self.card(bobID, "contacts", "\(UUID().uuidString.lowercased()).vcf")
            let multiget = try await dav.multiget(collection, hrefs: [href, unknown]).multistatus()
            #expect(multiget[href]?.found["urn:ietf:params:xml:ns:carddavaddress-data"] == got.body)
            #expect(multiget[unknown]?.status?.contains("404") == true)

            let first = try await dav.syncCollection(collection, token: nil).multistatus()
            #expect(first.hrefs == [href])
            let token = try #require(first.syncToken)
            let unchanged = try await dav.syncCollection(collection, token: token).multistatus()
            #expect(unchanged.hrefs.isEmpty)

            _ = try await ann.cards.setCard(
                .with {
                    $0.card.fields = SyncTests.annCard + [CardTests.field(.email, "ann@example.com", .contacts)]
                })
            let updated = try await dav.syncCollection(collection, token: unchanged.syncToken).multistatus()
            #expect(updated.hrefs == [href])
            #expect(updated[href]?.found["DAV:getetag"] != etag)
            #expect(try await dav.send("GET", href).body.contains("EMAIL:ann@example.com"))

            let share = try #require(try await ann.shares.listShares(.init()).shares.first)
            _ = try await ann.shares.revokeShare(.with { $0.shareID = share.shareID })
            let revoked = try await dav.syncCollection(collection, token: updated.syncToken).multistatus()
            #expect(revoked.hrefs == [href] && revoked[href]?.status?.contains("404") == true)
            #expect(try await dav.send("GET", href).status == 404)

            // A token that is not one: the RFC's precondition, and the client starts over.
            let invalid = try await dav.syncCollection(collection, token: "urn:x-cardex:sync:nonsense")
            #expect(invalid.status == 403 && invalid.body.contains("valid-sync-token"), "\(invalid.body)")
            // Read-only.
            let put = try await dav.send("PUT", href, body: Self.vCard(uid: annID, name: "Mine now"))
            #expect(put.status == 403)
            #expect(try await dav.send("DELETE", href).status == 403)
        }
    }

    // MARK: - book

    @Test("book: PUT and DELETE are the book's upsert and remove, with If-Match and If-None-Match; conflicts are 412")
    func bookWrites() async throws {
        try await Self.withDAV { server in
            let (phone, _) = try await server.signIn("+15550007021")
            let (dav, me) = try await Self.app(server, phone)
            let href = Self.card(me, "book", "grace.vcf")
            let card = Self.vCard(uid: "grace", name: "Grace Hopper", phones: ["+1 201 555 0187"], emails: ["grace@example.com"])

            let created = try await dav.send("PUT", href, body: card, headers: [("If-None-Match", "*"), ("Content-Type", "text/vcard")])
            #expect(created.status == 201)
            let etag = try #require(created.headers.first(name: "etag"))
            var book = try await BookTests.download(phone)
            #expect(book.map(\.clientEntryID) == ["grace"])
            #expect(book.first?.name == "Grace Hopper" && book.first?.phones == ["+1 201 555 0187"] && book.first?.emails == ["grace@example.com"])
            let got = try await dav.send("GET", href)
            #expect(got.headers.first(name: "etag") == etag && got.body == card)

            // Conditions that do not hold change nothing.
            #expect(try await dav.send("PUT", href, body: card, headers: [("If-None-Match", "*")]).status == 412)
            let renamed = Self.vCard(uid: "grace", name: "Rear Admiral Grace Hopper")
            #expect(try await dav.send("PUT", href, body: renamed, headers: [("If-Match", "\"stale\"")]).status == 412)
            #expect(try await BookTests.download(phone) == book)

            let changed = try await dav.send("PUT", href, body: renamed, headers: [("If-Match", etag)])
            #expect(changed.status == 204 && changed.headers.first(name: "etag") != etag)
            book = try await BookTests.download(phone)
            #expect(book.map(\.name) == ["Rear Admiral Grace Hopper"] && book.first?.phones == [])

            #expect(try await dav.send("DELETE", href, headers: [("If-Match", etag)]).status == 412)
            #expect(try await dav.send("DELETE", href, headers: [("If-Match", try #require(changed.headers.first(name: "etag")))]).status == 204)
            #expect(try await BookTests.download(phone).isEmpty)
            #expect(try await dav.send("DELETE", href).status == 404)
            #expect(try await dav.send("GET", href).status == 404)
        }
    }

    @Test("book: a card is kept as the app sent it; an upload of the same fields keeps it, a change of them replaces it")
    func bookKeepsCards() async throws {
        try await Self.withDAV { server in
            let (phone, _) = try await server.signIn("+15550007026")
            let (dav, me) = try await Self.app(server, phone)
            let href = Self.card(me, "book", "9c1e3a52.vcf")
            // As Apple writes one: a urn:uuid UID unlike the href, properties Cardex does not model.
            let card = [
                "BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iOS 17.0//EN", "UID:urn:uuid:6d1b2a3c-0000-4000-8000-000000000001",
                "N:Colon;Uri;;;", "FN:Uri Colon", "EMAIL;type=INTERNET;type=HOME:uri@example.com", "TEL;type=CELL:+1 201 555 0187",
                "ADR;type=HOME:;;1 Main St;Springfield;;12345;USA", "NOTE:met at the conference\\, 2026", "END:VCARD", "",
            ].joined(separator: "\r\n")
            let put = try await dav.send("PUT", href, body: card, headers: [("If-None-Match", "*")])
            #expect(put.status == 201)
            let got = try await dav.send("GET", href)
            #expect(got.body == card && got.headers.first(name: "etag") == put.headers.first(name: "etag"))
            var entries = try await BookTests.download(phone)
            #expect(entries.map(\.name) == ["Uri Colon"] && entries.first?.phones == ["+1 201 555 0187"] && entries.first?.emails == ["uri@example.com"])

            // A phone uploading its book over RPC with this entry as it is changes nothing.
            let unchanged = try await BookTests.upload(phone, entries)
            #expect(unchanged.unchanged == 1 && unchanged.changed == 0)
            #expect(try await dav.send("GET", href).body == card)

            // A new name over RPC: the card is made again from the entry's fields.
            entries[0].name = "Uri K. Colon"
            #expect(try await BookTests.upload(phone, entries).changed == 1)
            let remade = try await dav.send("GET", href).body
            #expect(remade.contains("FN:Uri K. Colon") && remade.contains("VERSION:4.0") && !remade.contains("NOTE"), "\(remade)")

            // A card XML cannot carry is refused; one in another charset is kept as Cardex reads it, without a strong etag.
            #expect(try await dav.send("PUT", href, body: card.replacingOccurrences(of: "NOTE:", with: "NOTE:\u{1}")).status == 400)
            let latin1 = try #require("BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-1:J\u{fc}rgen\r\nEND:VCARD\r\n".data(using: .isoLatin1))
            let stored = try await dav.send("PUT", href, bytes: latin1)
            #expect(stored.status == 204 && stored.headers.first(name: "etag") == nil)
            #expect(try await BookTests.download(phone).map(\.name) == ["Jürgen"])
        }
    }

    @Test("book: a vCard that is malformed, two cards, not .vcf, too large or an invalid entry is refused and changes nothing")
    func bookBadInput() async throws {
        try await Self.withDAV { server in
            let (phone, _) = try await server.signIn("+15550007031")
            let (dav, me) = try await Self.app(server, phone)
            _ = try await BookTests.upload(
                phone,
                [
                    .with {
                        $0.clientEntryID = "kept"
                        $0.name = "Kept"
                    }
                ])
            let before = try await BookTests.download(phone)
            let href = Self.card(me, "book", "kept.vcf")
            let one = Self.vCard(uid: "kept", name: "Changed")
            let refusals: [(String, String, String, UInt)] = [
                ("cut short", href, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Changed\r\n", 400),
                ("not a vCard", href, "hello", 400),
                ("two cards", href, one + one, 400),
                ("no .vcf", Self.card(me, "book", "kept"), one, 400),
                ("a name past the book's limit", href, Self.vCard(uid: "kept", name: String(repeating: "x", count: 5000)), 400),
                ("larger than a card may be", href, Self.vCard(uid: "kept", name: "x", emails: Array(repeating: "a@example.com", count: 30_000)), 403),
                ("larger than a body may be", href, String(repeating: "x", count: 2 << 20), 413),
            ]
            for (what, path, body, status) in refusals {
                let answer = try await dav.send("PUT", path, body: body)
                #expect(answer.status == status, "\(what): \(answer.status) \(answer.body.prefix(200))")
            }
            #expect(try await BookTests.download(phone) == before)
            #expect(try await dav.send("GET", href).body.contains("FN:Kept"))
        }
    }

    @Test("book: sync-collection reports cards added, changed and removed, over CardDAV and over RPC, and honours a limit")
    func bookSync() async throws {
        try await Self.withDAV { server in
            let (phone, _) = try await server.signIn("+15550007041")
            let (dav, me) = try await Self.app(server, phone)
            let collection = "/dav/books/\(me)/book/"
            _ = try await BookTests.upload(phone, BookTests.book(3))
            let first = try await dav.syncCollection(collection, token: nil).multistatus()
            #expect(first.hrefs.count == 3)
            let names = first.hrefs.map { String($0.split(separator: "/").last!) }

            // One changed and one removed over RPC, one added over CardDAV.
            var entries = try await BookTests.download(phone)
            entries[0].name = "Renamed"
            _ = try await BookTests.upload(phone, [entries[0], entries[2]], replace: true)
            let added = try await dav.send("PUT", collection + "new.vcf", body: Self.vCard(uid: "new", name: "New"))
            #expect(added.status == 201)
            let delta = try await dav.syncCollection(collection, token: first.syncToken).multistatus()
            #expect(Set(delta.hrefs) == [collection + names[0], collection + names[1], collection + "new.vcf"])
            #expect(delta[collection + names[1]]?.status?.contains("404") == true)
            #expect(delta[collection + "new.vcf"]?.found["DAV:getetag"] == added.headers.first(name: "etag"))
            #expect(try await dav.syncCollection(collection, token: delta.syncToken).multistatus().hrefs.isEmpty)

            // A limit of 1: one change, 507 for the collection, and the rest from the token given.
            _ = try await BookTests.upload(
                phone,
                [
                    .with {
                        $0.clientEntryID = "a"
                        $0.name = "A"
                    },
                    .with {
                        $0.clientEntryID = "b"
                        $0.name = "B"
                    },
                ])
            let page = try await dav.syncCollection(collection, token: delta.syncToken, limit: 1).multistatus()
            #expect(page.hrefs.count == 2 && page[collection]?.status?.contains("507") == true)
            let rest = try await dav.syncCollection(collection, token: page.syncToken).multistatus()
            #expect(Set(page.hrefs + rest.hrefs) == [collection, collection + "a.vcf", collection + "b.vcf"])

            // Not a token, and a revision the book has not reached: valid-sync-token.
            for token in ["urn:x-cardex:book:nonsense", "urn:x-cardex:book:999", "urn:x-cardex:book:1.%%", "urn:x-cardex:sync:1"] {
                let unknown = try await dav.syncCollection(collection, token: token)
                #expect(unknown.status == 403 && unknown.body.contains("valid-sync-token"), "\(token)")
            }
        }
    }

    @Test("book: a sync token is a point in the book's change log, so another server on the database (here, after a restart) answers it")
    func bookSyncAcrossRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-dav-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dav: (inout CardexServerConfiguration) -> Void = { $0.cardDAV = .init(host: "127.0.0.1", port: 0) }
        var (session, token, collection) = ("", "", "")
        try await withCardex(dataDirectory: directory, configure: dav) { server in
            let (phone, signedIn) = try await server.signIn("+15550007042")
            session = signedIn.sessionToken
            let (client, me) = try await Self.app(server, phone)
            collection = "/dav/books/\(me)/book/"
            _ = try await BookTests.upload(phone, BookTests.book(3))
            token = try #require(try await client.syncCollection(collection, token: nil).multistatus().syncToken)
        }
        try await withCardex(dataDirectory: directory, configure: dav) { server in
            let phone = try server.client(token: session)
            var entries = try await BookTests.download(phone)
            entries[1].name = "Renamed"
            _ = try await BookTests.upload(phone, [entries[1]])
            let (client, _) = try await Self.app(server, phone)
            let delta = try await client.syncCollection(collection, token: token).multistatus()
            #expect(delta.hrefs == [collection + entries[1].clientEntryID + ".vcf"])
        }
    }

    // MARK: - groups

    @Test("a group is a read-only address book of the members I see, with what they show the group; leaving removes it")
    func groupCollection() async throws {
        try await Self.withDAV { server in
            let (owner, ownerSignIn) = try await server.signIn("+15550007051")
            let group = try await owner.groups.createGroup(.with { $0.name = "Choir" })
            _ = try await owner.cards.setCard(.with { $0.card.fields = GroupTests.card("Olga", group: group.groupID) })
            let (bob, _) = try await server.signIn("+15550007052")
            _ = try await GroupTests.invite(owner, group.groupID, [("+15550007052", "")])
            _ = try await GroupTests.acceptOnlyInvitation(bob)
            let (dav, bobID) = try await Self.app(server, bob)
            let collection = "/dav/books/\(bobID)/group-\(group.groupID)/"

            let home = try await dav.propfind("/dav/books/\(bobID)/", depth: "1", properties: ["d:displayname"]).multistatus()
            #expect(home[collection]?.found["DAV:displayname"] == "Choir")
            let listed = try await dav.syncCollection(collection, token: nil).multistatus()
            let href = collection + "\(ownerSignIn.userID).vcf"
            #expect(listed.hrefs == [href])
            let card = try await dav.send("GET", href).body
            #expect(card.contains("FN:Olga") && card.contains("https://example.com/olga") && card.contains("tel:+15550007051"), "\(card)")
            #expect(!card.contains("olga@example.com") && !card.contains("private"), "\(card)")  // another group's field, a private one
            #expect(try await dav.send("PUT", href, body: Self.vCard(uid: "x", name: "x")).status == 403)

            _ = try await owner.cards.setCard(.with { $0.card.fields = GroupTests.card("Olgak", group: group.groupID) })
            let changed = try await dav.syncCollection(collection, token: listed.syncToken).multistatus()
            #expect(changed.hrefs == [href])
            #expect(try await dav.send("GET", href).body.contains("FN:Olgak"))

            _ = try await bob.groups.leaveGroup(.with { $0.groupID = group.groupID })
            #expect(try await dav.propfind(collection, depth: "0").status == 404)
        }
    }

    // MARK: - Limits and bad input

    @Test("connections past the per-address limit are closed as they open; closing one makes room")
    func connectionLimit() async throws {
        try await Self.withDAV(configure: { $0.cardDAVSettings.maxConnectionsPerAddress = 2 }) { server in
            let (phone, _) = try await server.signIn("+15550007071")
            let (dav, _) = try await Self.app(server, phone)
            // Three plain TCP connections that never start TLS: the server keeps two, whichever
            // it saw first (accepted connections become active on its loops in any order), and
            // closes the third as it opens.
            let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            var connections: [any Channel] = []
            for _ in 0..<3 { connections.append(try await bootstrap.connect(host: "127.0.0.1", port: dav.port).get()) }
            var open = connections
            for _ in 0..<500 where open.count == 3 {
                try await Task.sleep(for: .milliseconds(20))
                open = connections.filter { $0.isActive }
            }
            #expect(open.count == 2)
            // The two held take the address's places: a request cannot connect.
            // (AsyncHTTPClient tries to connect again until the deadline.)
            await #expect(throws: (any Error).self) { try await dav.send("OPTIONS", "/dav/", timeout: .seconds(2)) }
            #expect(open.allSatisfy { $0.isActive })
            try await open[0].close()
            var status: UInt?
            for _ in 0..<50 where status == nil {  // the server sees the close a moment later
                status = try? await dav.send("PROPFIND", "/dav/", body: DAVBodies.propfind("<d:getetag/>"), headers: [("Depth", "0")], timeout: .seconds(5))
                    .status
                if status == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == 207)
            for channel in open where channel.isActive { try await channel.close() }
        }
    }

    @Test("bad XML, unknown reports, a bad Depth and too many hrefs get their status, and the server goes on answering")
    func badRequests() async throws {
        try await Self.withDAV(configure: { $0.cardDAVSettings.maxMultigetHrefs = 2 }) { server in
            let (phone, _) = try await server.signIn("+15550007061")
            let (dav, me) = try await Self.app(server, phone)
            let collection = "/dav/books/\(me)/book/"
            let deep = String(repeating: "<d:prop>", count: 100) + String(repeating: "</d:prop>", count: 100)
            let requests: [(String, String, String, [(String, String)], UInt, String?)] = [
                (
                    "an entity", "PROPFIND",
                    """
                    <?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d:propfind xmlns:d="DAV:"><d:prop>&x;</d:prop></d:propfind>
                    """, [], 400, nil
                ),
                (
                    "an XML body in another encoding", "PROPFIND",
                    #"<?xml version="1.0" encoding="ISO-8859-1"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>"#, [], 400, nil
                ),
                ("XML nested 100 deep", "PROPFIND", #"<d:propfind xmlns:d="DAV:">\#(deep)</d:propfind>"#, [], 400, nil),
                ("not XML", "PROPFIND", "<d:propfind", [], 400, nil),
                ("Depth 2", "PROPFIND", DAVBodies.propfind("<d:getetag/>"), [("Depth", "2")], 400, nil),
                ("an unknown report", "REPORT", #"<x:frobnicate xmlns:x="urn:example"/>"#, [], 403, "supported-report"),
                ("a REPORT without a body", "REPORT", "", [], 400, nil),
                ("three hrefs in a multiget", "REPORT", DAVBodies.multiget(["/a", "/b", "/c"]), [], 403, nil),
                ("a method not supported", "MKCOL", "", [], 405, nil),
                ("an address book that does not exist", "PROPFIND", DAVBodies.propfind("<d:getetag/>"), [], 404, nil),
            ]
            for (what, method, body, headers, status, precondition) in requests {
                let path = what == "an address book that does not exist" ? "/dav/books/\(me)/nope/" : collection
                let answer = try await dav.send(method, path, body: body.isEmpty ? nil : body, headers: headers)
                #expect(answer.status == status, "\(what): \(answer.status) \(answer.body.prefix(300))")
                if let precondition { #expect(answer.body.contains(precondition), "\(what): \(answer.body)") }
            }
            // A declaration in UTF-16 would pass a check for "<!DOCTYPE" unseen: only UTF-8 is read.
            var utf16 = Data([0xFF, 0xFE])
            utf16.append(#"<!DOCTYPE d [<!ENTITY x "x">]><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>"#.data(using: .utf16LittleEndian)!)
            #expect(try await dav.send("PROPFIND", collection, bytes: utf16).status == 400)
            #expect(try await dav.propfind(collection, depth: "0").status == 207)
        }
    }
}
