import CardexCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The methods on one signed-in person's resource.
struct DAVHandlers {
    let backend: CardDAVBackend
    let settings: CardDAVSettings
    let user: UserID
    let path: DAVPath

    func propfind(_ body: XMLNode?, depth: Depth) async throws -> Response {
        let parsed: DAVRequest
        do {
            parsed = try DAVRequest.propfind(body)
        } catch {
            throw Self.davError(error)
        }
        guard case .propfind(let request) = parsed else { throw DAVError.badRequest("not a PROPFIND body") }
        var multistatus = Multistatus()
        switch path {
        case .wellKnown: throw DAVError.notFound()
        case .root:
            multistatus.add(href: path.href, properties: ResourceProperties.root(user: user), request: request)
        case .principal:
            let name = try await backend.displayName(of: user)
            multistatus.add(href: path.href, properties: ResourceProperties.principal(user: user, displayName: name), request: request)
        case .home:
            multistatus.add(href: path.href, properties: ResourceProperties.home(user: user), request: request)
            if depth == .one {
                for collection in try await backend.collections(of: user) {
                    let properties = try await ResourceProperties.collection(collection, user: user, request: request)
                    multistatus.add(href: DAVPath.collection(user, collection.segment).href, properties: properties, request: request)
                }
            }
        case .collection(_, let segment):
            let collection = try await collection(segment)
            multistatus.add(href: path.href, properties: try await ResourceProperties.collection(collection, user: user, request: request), request: request)
            if depth == .one {
                for card in try await collection.cards() {
                    multistatus.add(href: cardHref(segment, card.name), properties: ResourceProperties.card(card), request: request)
                }
            }
        case .card(_, let segment, let name):
            guard let card = try await collection(segment).cards(named: [name]).first else { throw DAVError.notFound() }
            multistatus.add(href: path.href, properties: ResourceProperties.card(card), request: request)
        }
        return Self.multistatus(multistatus)
    }

    func report(_ body: XMLNode) async throws -> Response {
        guard case .collection(_, let segment) = path else {
            throw DAVError.forbidden("REPORT is answered on an address book", precondition: .dav("supported-report"))
        }
        let collection = try await collection(segment)
        let request: DAVRequest
        do {
            request = try DAVRequest.report(body)
        } catch {
            throw Self.davError(error)
        }
        var multistatus = Multistatus()
        switch request {
        case .propfind: throw DAVError.badRequest("not a REPORT body")
        case .multiget(let properties, let hrefs):
            guard hrefs.count <= settings.maxMultigetHrefs else {
                throw DAVError.forbidden("at most \(settings.maxMultigetHrefs) hrefs per addressbook-multiget")
            }
            var names: [String: String] = [:]  // card name -> href as sent
            for href in hrefs {
                if let name = cardName(href: href, in: segment) { names[name] = href } else { multistatus.add(href: href, status: "404 Not Found") }
            }
            let found = try await collection.cards(named: Array(names.keys))
            for card in found {
                multistatus.add(href: names[card.name] ?? cardHref(segment, card.name), properties: ResourceProperties.card(card), request: properties)
            }
            let foundNames = Set(found.map(\.name))
            for (name, href) in names.sorted(by: { $0.key < $1.key }) where !foundNames.contains(name) {
                multistatus.add(href: href, status: "404 Not Found")
            }
        case .query(let properties):
            for card in try await collection.cards() {
                multistatus.add(href: cardHref(segment, card.name), properties: ResourceProperties.card(card), request: properties)
            }
        case .syncCollection(let properties, let token, let limit):
            let changes: CollectionChanges
            do {
                changes = try await collection.changes(since: token, limit: limit)
            } catch let invalid as InvalidSyncToken {
                throw DAVError.forbidden(invalid.reason, precondition: .dav("valid-sync-token"))
            }
            for card in changes.changed {
                multistatus.add(href: cardHref(segment, card.name), properties: ResourceProperties.card(card), request: properties)
            }
            for name in changes.removed { multistatus.add(href: cardHref(segment, name), status: "404 Not Found") }
            if changes.truncated { multistatus.add(href: path.href, status: "507 Insufficient Storage") }
            multistatus.add(syncToken: changes.token)
        }
        return Self.multistatus(multistatus)
    }

    func get(headOnly: Bool) async throws -> Response {
        guard case .card(_, let segment, let name) = path else {
            throw DAVError.methodNotAllowed("GET is answered for a card (.vcf); list an address book with PROPFIND")
        }
        guard let card = try await collection(segment).cards(named: [name]).first else { throw DAVError.notFound() }
        let headers: HTTPFields = [.contentType: ResourceProperties.vCardType, .eTag: card.etag, .contentLength: String(card.vCard.count)]
        return Response(status: .ok, headers: headers, body: headOnly ? .init() : .init(byteBuffer: ByteBuffer(bytes: card.vCard)))
    }

    func put(body: Data, ifMatch: String?, ifNoneMatch: String?) async throws -> Response {
        guard case .card(_, let segment, let name) = path else {
            throw DAVError.methodNotAllowed("PUT stores a card (.vcf) in an address book")
        }
        guard body.count <= ResourceProperties.maxResourceSize else {
            throw DAVError.forbidden(
                "a card is at most \(ResourceProperties.maxResourceSize) bytes", precondition: .cardDAV("max-resource-size"))
        }
        do {
            let (etag, created) = try await collection(segment).put(name: name, vCard: body, ifMatch: ifMatch, ifNoneMatch: ifNoneMatch)
            var headers: HTTPFields = [:]
            if let etag { headers[.eTag] = etag }
            return Response(status: created ? .created : .noContent, headers: headers)
        } catch let refusal as WriteRefusal {
            throw DAVError(status: refusal.status, reason: refusal.reason)
        }
    }

    func delete(ifMatch: String?) async throws -> Response {
        guard case .card(_, let segment, let name) = path else {
            throw DAVError.forbidden("only cards are deleted; address books are the account's")
        }
        do {
            guard try await collection(segment).delete(name: name, ifMatch: ifMatch) else { throw DAVError.notFound() }
            return Response(status: .noContent)
        } catch let refusal as WriteRefusal {
            throw DAVError(status: refusal.status, reason: refusal.reason)
        }
    }

    private func collection(_ segment: String) async throws -> any AddressCollection {
        guard let collection = try await backend.collection(segment, of: user) else { throw DAVError.notFound("no address book \(segment)") }
        return collection
    }

    private func cardHref(_ segment: String, _ name: String) -> String {
        DAVPath.card(user, collection: segment, name: name).href
    }

    /// The card name an href of a multiget names in this collection; `nil` for any other href.
    private func cardName(href: String, in segment: String) -> String? {
        let path = URLComponents(string: href)?.percentEncodedPath ?? href
        guard case .card(let owner, let collection, let name) = DAVPath(path: path), owner == user, collection == segment else { return nil }
        return name
    }

    private static func davError(_ error: DAVRequest.Refusal) -> DAVError {
        switch error {
        case .badRequest(let reason): .badRequest(reason)
        case .unsupportedReport(let name): .forbidden("the report \(name) is not supported", precondition: .dav("supported-report"))
        case .unsupportedFilter: .forbidden("addressbook-query filters are not supported", precondition: .cardDAV("supported-filter"))
        }
    }

    private static func multistatus(_ multistatus: Multistatus) -> Response {
        Response(
            status: HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status"), headers: [.contentType: "application/xml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: multistatus.text)))
    }
}
