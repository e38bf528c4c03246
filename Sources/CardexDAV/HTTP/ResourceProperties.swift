import CardexCore

/// The properties each kind of resource has, as PROPFIND and REPORT answer them.
enum ResourceProperties {
    /// The content type of every card.
    static let vCardType = "text/vcard; charset=utf-8"
    /// The largest card a PUT may send, as `max-resource-size` says: the book keeps each card
    /// as sent, so this bounds what a book of `--max-book-entries` cards may hold.
    static let maxResourceSize = 64 << 10

    static func root(user: UserID) -> [DAVProperty] {
        [
            .elements(.dav("resourcetype"), [.dav("collection")]),
            .href(.dav("current-user-principal"), DAVPath.principal(user).href),
        ]
    }

    static func principal(user: UserID, displayName: String) -> [DAVProperty] {
        [
            .elements(.dav("resourcetype"), [.dav("principal")]),
            .text(.dav("displayname"), displayName),
            .href(.dav("current-user-principal"), DAVPath.principal(user).href),
            .href(.dav("principal-URL"), DAVPath.principal(user).href),
            .href(.cardDAV("addressbook-home-set"), DAVPath.home(user).href),
        ]
    }

    static func home(user: UserID) -> [DAVProperty] {
        [
            .elements(.dav("resourcetype"), [.dav("collection")]),
            .text(.dav("displayname"), "Cardex"),
            .href(.dav("current-user-principal"), DAVPath.principal(user).href),
            .href(.dav("owner"), DAVPath.principal(user).href),
            privileges(writable: false),
        ]
    }

    /// A collection's properties; its sync token is read only when asked for.
    static func collection(
        _ collection: any AddressCollection, user: UserID, request: DAVRequest.PropertyRequest
    ) async throws -> [DAVProperty] {
        var properties: [DAVProperty] = [
            .elements(.dav("resourcetype"), [.dav("collection"), .cardDAV("addressbook")]),
            .text(.dav("displayname"), collection.displayName),
            .text(.cardDAV("addressbook-description"), collection.summary),
            .href(.dav("current-user-principal"), DAVPath.principal(user).href),
            .href(.dav("owner"), DAVPath.principal(user).href),
            privileges(writable: collection.isWritable),
            DAVProperty(name: .dav("supported-report-set")) { writer in
                for report in [XMLName.cardDAV("addressbook-multiget"), .cardDAV("addressbook-query"), .dav("sync-collection")] {
                    writer.element(.dav("supported-report")) { $0.element(.dav("report")) { $0.empty(report) } }
                }
            },
            DAVProperty(name: .cardDAV("supported-address-data")) { writer in
                // 4.0 is what Cardex writes; a card stored in the book is returned in the version it came in.
                writer.empty(.cardDAV("address-data-type"), attributes: ["content-type": "text/vcard", "version": "4.0"])
                writer.empty(.cardDAV("address-data-type"), attributes: ["content-type": "text/vcard", "version": "3.0"])
            },
            .text(.cardDAV("max-resource-size"), String(maxResourceSize)),
        ]
        let tokenNames: Set<XMLName> = [.dav("sync-token"), XMLName(XMLName.Namespace.calendarServer, "getctag")]
        if case .some(let names) = request, names.contains(where: tokenNames.contains) {
            let token = try await collection.syncToken()
            properties += tokenNames.map { .text($0, token) }
        } else if case .names = request {
            properties += tokenNames.map { .text($0, "") }
        }
        return properties
    }

    static func card(_ card: CardResource) -> [DAVProperty] {
        [
            .elements(.dav("resourcetype"), []),
            .text(.dav("getetag"), card.etag),
            .text(.dav("getcontenttype"), vCardType),
            .text(.dav("getcontentlength"), String(card.vCard.count)),
            .text(.cardDAV("address-data"), String(decoding: card.vCard, as: UTF8.self), inAllprop: false),
        ]
    }

    /// `current-user-privilege-set`: read, and write on a collection the person may write to.
    private static func privileges(writable: Bool) -> DAVProperty {
        let privileges: [XMLName] =
            writable
            ? [.dav("read"), .dav("write"), .dav("write-content"), .dav("bind"), .dav("unbind")] : [.dav("read")]
        return DAVProperty(name: .dav("current-user-privilege-set")) { writer in
            for privilege in privileges { writer.element(.dav("privilege")) { $0.empty(privilege) } }
        }
    }
}
