import ArgumentParser
import CardexProto
import Foundation

/// What I hold about one person, on the command line: `USER_ID_OR_PHONE[@ETAG]` (the etag of the
/// card view I hold), or `PHONE=LOCAL NAME` (the number and the name I store it with, which finds a
/// person of that name who changed number).
struct QueryItemArgument: ExpressibleByArgument {
    /// The argument as given, to name the item in the answer.
    let text: String
    let item: Cardex_V1_QueryItem

    init?(argument: String) {
        text = argument
        if let equals = argument.firstIndex(of: "=") {
            let phone = argument[..<equals].trimmingCharacters(in: .whitespaces)
            let name = argument[argument.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !phone.isEmpty, !name.isEmpty else { return nil }
            item = .with {
                $0.person.phone = phone
                $0.localName = name
            }
            return
        }
        let parts = argument.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard let person = PersonArgument(argument: String(parts[0])) else { return nil }
        let etag = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        if parts.count > 1, etag.isEmpty { return nil }
        item = .with {
            if person.isUserID { $0.person.userID = person.text } else { $0.person.phone = person.text }
            $0.knownEtag = etag
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
