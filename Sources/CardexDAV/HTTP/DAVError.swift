/// A request CardDAV answers with an error status: the status, why (as the body's text), and
/// for 403, the precondition element RFC 6352/6578 name (`<d:error><precondition/></d:error>`).
struct DAVError: Error, Sendable, Hashable {
    var status: Int
    var reason: String
    var precondition: XMLName?

    static func badRequest(_ reason: String) -> DAVError { DAVError(status: 400, reason: reason) }
    static func notFound(_ reason: String = "no such resource") -> DAVError { DAVError(status: 404, reason: reason) }
    static func forbidden(_ reason: String, precondition: XMLName? = nil) -> DAVError {
        DAVError(status: 403, reason: reason, precondition: precondition)
    }
    static func methodNotAllowed(_ reason: String) -> DAVError { DAVError(status: 405, reason: reason) }
    static func tooLarge(_ reason: String) -> DAVError { DAVError(status: 413, reason: reason) }
}
