import ArgumentParser
import CardexProto
import Foundation

/// `cardex book upload|download`: my cloud address book.
struct BookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Upload my address book to the cloud, or download it.",
        discussion: """
            A book file is JSON, an array of {"id": "…", "name": "…", "phones": […], "emails": […]}, \
            or vCard (.vcf): versions 2.1, 3.0 and 4.0 as Apple Contacts, Google Contacts and Android \
            export them, in UTF-8 or the charset each card names (Latin-1 too). Of a vCard, UID is the \
            entry's id, FN (else N) its name, each TEL a phone and each EMAIL an address. `download` \
            writes either (vCard 4.0), and `upload` reads back what it wrote unchanged.
            Examples: cardex book upload contacts.vcf --replace
                      cardex book download --output contacts.vcf
            """,
        subcommands: [UploadBook.self, DownloadBook.self])
}

/// `cardex book upload <file> [--replace]`: adds and changes entries from a JSON or vCard file.
struct UploadBook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Add and change entries of my cloud address book from a JSON or vCard file, in one transaction.",
        discussion: """
            The format follows the extension (.json, .vcf, .vcard), else the content. An entry is matched \
            by its id: uploading the same file again changes nothing. A vCard without UID gets the id \
            vcard-<position>-<hash of its name>, the same on every upload of the file. A JSON file must be \
            UTF-8. With "auto-send my card" on, new numbers receive my card.
            """)

    /// Entries per UploadBook message: the most a DownloadBook page holds, so a message stays well
    /// under the frame limit while a 20,000-entry book takes 20 messages.
    static let entriesPerMessage = 1000

    @Argument(help: "The book file: .json or .vcf (vCard 2.1, 3.0 or 4.0), as `cardex book download` writes it or a phone exports it.", completion: .file())
    var file: String
    @Flag(help: "Replace the whole book: entries not in the file are removed.") var replace = false
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let entries = try BookFile.read(from: file)
        try await options.withSignedInClient { client in
            let answer = try await client.book.uploadBook { writer in
                var start = 0
                repeat {
                    let end = min(start + Self.entriesPerMessage, entries.count)
                    try await writer.write(
                        .with {
                            $0.replace = replace
                            $0.entries = Array(entries[start..<end])
                        })
                    start = end
                } while start < entries.count
            }
            try options.print(answer) { Self.describe(answer) }
        }
    }

    /// `added N, changed N, unchanged N, removed N`, and the numbers my card was sent to.
    static func describe(_ answer: Cardex_V1_UpdateBookResponse) -> String {
        let counts = "added \(answer.added), changed \(answer.changed), unchanged \(answer.unchanged), removed \(answer.removed)"
        guard !answer.cardSentTo.isEmpty else { return counts }
        return counts + "\nmy card was sent to " + answer.cardSentTo.joined(separator: ", ")
    }
}

/// `cardex book download [--format json|vcf] [--output FILE]`: my whole cloud address book as a
/// book file.
struct DownloadBook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download my whole cloud address book as JSON or vCard, the formats `cardex book upload` reads.",
        discussion: """
            The format is --format, else vcf when --output ends in .vcf or .vcard, else json. vcf writes \
            vCard 4.0, one card per entry with the entry's id as UID, for a contacts app to import. \
            Without --output the book goes to standard output, as a book file even with --json; with \
            --output, --json prints the downloaded entries as the server sent them.
            """)

    @Option(help: ArgumentHelp("The file format (default: by the --output extension, else json).", valueName: "json|vcf"))
    var format: BookFile.Format?
    @Option(help: "Write the book to this file instead of standard output.", completion: .file()) var output: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let format = format ?? output.flatMap(BookFile.format(named:)) ?? .json
        try await options.withSignedInClient { client in
            var book = Cardex_V1_DownloadBookResponse()
            var pageToken = ""
            repeat {
                let page = try await client.book.downloadBook(.with { $0.pageToken = pageToken })
                book.entries += page.entries
                pageToken = page.nextPageToken
            } while !pageToken.isEmpty
            let data = try BookFile.data(book.entries, format: format)
            guard let output else {
                FileHandle.standardOutput.write(data)
                return
            }
            do {
                try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CLIError("cannot write \(output): check that its folder exists and is writable (\(error.localizedDescription))")
            }
            try options.print(book) {
                book.entries.count == 1 ? "1 entry written to \(output)" : "\(book.entries.count) entries written to \(output)"
            }
        }
    }
}

extension BookFile.Format: ExpressibleByArgument {}
