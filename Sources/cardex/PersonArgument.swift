import ArgumentParser
import CardexProto
import Foundation

/// A person on the command line: a user id if the argument is a UUID, else a phone number
/// (E.164 or a national number of the server's default region; the server checks it).
struct PersonArgument: ExpressibleByArgument {
    let text: String
    let isUserID: Bool

    init?(argument: String) {
        text = argument.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        isUserID = UUID(uuidString: text) != nil
    }

    var person: Cardex_V1_Person {
        .with { if isUserID { $0.userID = text } else { $0.phone = text } }
    }

    /// How the CLI names a person: the phone number, else `user <id>`.
    static func describe(_ person: Cardex_V1_Person) -> String {
        switch person.id {
        case .phone(let phone): phone
        case .userID(let id): "user \(id)"
        case nil: "nobody"
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
