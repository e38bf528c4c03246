import CardexCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Answers every CardDAV request: authenticates it, reads its body within the limits, and hands
/// it to the method's handler; errors become their statuses, never a dropped connection.
struct DAVResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let backend: CardDAVBackend
    let settings: CardDAVSettings
    let logger: Logger

    /// What OPTIONS and 405 answers list.
    static let allowedMethods = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT"

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await answer(request)
        } catch let error as DAVError {
            return Self.response(for: error)
        } catch {
            logger.error("CardDAV request failed", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            return Self.response(for: DAVError(status: 500, reason: "the server could not answer: try again later"))
        }
    }

    private func answer(_ request: Request) async throws -> Response {
        guard let path = DAVPath(path: request.uri.path) else { throw DAVError.notFound() }
        if case .wellKnown = path {
            return Response(status: .movedPermanently, headers: [.location: DAVPath.rootPath])
        }
        guard let header = request.headers[.authorization], let credentials = BasicCredentials(header: header),
            let user = try await backend.authenticate(credentials)
        else {
            return Response(
                status: .unauthorized,
                headers: [.wwwAuthenticate: #"Basic realm="Cardex", charset="UTF-8""#, .contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "sign in with your number and an app password (cardex app-password create)\n")))
        }
        // Someone else's resources do not exist, as far as this person can tell.
        if let owner = path.owner, owner != user { throw DAVError.notFound() }
        let handlers = DAVHandlers(backend: backend, settings: settings, user: user, path: path)
        switch request.method {
        case .options:
            return Response(status: .ok, headers: [HTTPField.Name("DAV")!: "1, 3, addressbook", .allow: Self.allowedMethods])
        case .get: return try await handlers.get(headOnly: false)
        case .head: return try await handlers.get(headOnly: true)
        case HTTPRequest.Method("PROPFIND")!:
            let depth = try Depth(header: request.headers[HTTPField.Name("Depth")!])
            return try await handlers.propfind(try await body(of: request).map(xml), depth: depth)
        case HTTPRequest.Method("REPORT")!:
            guard let data = try await body(of: request) else { throw DAVError.badRequest("a REPORT needs a body") }
            return try await handlers.report(try xml(data))
        case .put:
            return try await handlers.put(
                body: try await body(of: request) ?? Data(), ifMatch: request.headers[.ifMatch], ifNoneMatch: request.headers[.ifNoneMatch])
        case .delete:
            return try await handlers.delete(ifMatch: request.headers[.ifMatch])
        default:
            throw DAVError.methodNotAllowed("\(request.method) is not supported here: use one of \(Self.allowedMethods)")
        }
    }

    /// The request's body within ``CardDAVSettings/maxRequestBodyBytes``; `nil` when it is empty.
    private func body(of request: Request) async throws -> Data? {
        let limit = settings.maxRequestBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw DAVError.tooLarge("the body is \(length) bytes; at most \(limit) are read")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw DAVError.tooLarge("the body is longer than \(limit) bytes, the most read")
        }
        return buffer.readableBytes == 0 ? nil : Data(buffer.readableBytesView)
    }

    private func xml(_ data: Data) throws(DAVError) -> XMLNode {
        do {
            return try XMLBodyParser.parse(data, limits: settings.xml)
        } catch {
            throw DAVError.badRequest("the XML body cannot be used: \(error)")
        }
    }

    static func response(for error: DAVError) -> Response {
        var headers: HTTPFields = [:]
        let body: String
        if let precondition = error.precondition {
            var writer = XMLWriter()
            writer.openRoot(.dav("error"))
            writer.empty(precondition)
            writer.close(.dav("error"))
            body = writer.text
            headers[.contentType] = "application/xml; charset=utf-8"
        } else {
            body = error.reason + "\n"
            headers[.contentType] = "text/plain; charset=utf-8"
        }
        if error.status == 405 { headers[.allow] = allowedMethods }
        return Response(status: HTTPResponse.Status(code: error.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
