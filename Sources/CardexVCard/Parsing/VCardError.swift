import Foundation

/// Why vCard data could not be read. Cards are counted from 1 and lines from 1, in the file as given
/// (before unfolding), so a person can find the place in an editor.
public enum VCardError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// Card `card`, begun on line `line`, has no `END:VCARD` before the data ends.
    case unclosedCard(card: Int, line: Int)
    /// The content line starting on line `line` is longer than ``VCardLimits/maxLineBytes`` (`limit`)
    /// once unfolded.
    case lineTooLong(line: Int, limit: Int)
    /// Card `card`, begun on line `line`, holds more than ``VCardLimits/maxPropertiesPerCard`` (`limit`).
    case tooManyProperties(card: Int, line: Int, limit: Int)
    /// The data holds more than ``VCardLimits/maxCards`` (`limit`) cards.
    case tooManyCards(limit: Int)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .unclosedCard(let card, let line):
            "vCard \(card) (begun on line \(line)) has no END:VCARD: the file may be cut short; export it again"
        case .lineTooLong(let line, let limit):
            "the vCard line starting on line \(line) is longer than \(limit) bytes once unfolded: "
                + "the file is damaged or not a vCard file, or holds a very large photo; export it without photos"
        case .tooManyProperties(let card, let line, let limit):
            "vCard \(card) (begun on line \(line)) has more than \(limit) properties: the file may be damaged; export it again"
        case .tooManyCards(let limit):
            "the file holds more than \(limit) vCards: split it into files of at most \(limit)"
        }
    }

    /// ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
