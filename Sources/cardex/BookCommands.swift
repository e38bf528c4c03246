import ArgumentParser
import CardexProto
import Foundation

/// `cardex book upload|download`: my cloud address book.
struct BookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Upload my address book to the cloud, or download it.",
        discussion: """
            A book file is JSON, an array of {"id": "…", "name": "…", "phones": […], "emails": […]} \
            (what `download` writes), or vCard (.vcf: FN, TEL, EMAIL and UID are read).
            Example: cardex book upload contacts.vcf --replace
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
            by its id: uploading the same file again changes nothing. A vCard without UID gets an id from \
            its position and name. With "auto-send my card" on, new numbers receive my card.
            """)

    /// Entries per UploadBook message: the most a DownloadBook page holds, so a message stays well
    /// under the frame limit while a 20,000-entry book takes 20 messages.
    static let entriesPerMessage = 1000

    @Argument(help: "The book file: .json (as `cardex book download` writes it) or .vcf.", completion: .file())
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
                    try await writer.write(.with {
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

/// `cardex book download [--output FILE]`: my whole cloud address book as a JSON book file.
struct DownloadBook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download my whole cloud address book as JSON, the format `cardex book upload` reads.",
        discussion: """
            Without --output the book goes to standard output, as JSON book entries even with --json; \
            with --output, --json prints the downloaded entries as the server sent them.
            """)

    @Option(help: "Write the book to this file instead of standard output.", completion: .file()) var output: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.withSignedInClient { client in
            var book = Cardex_V1_DownloadBookResponse()
            var pageToken = ""
            repeat {
                let page = try await client.book.downloadBook(.with { $0.pageToken = pageToken })
                book.entries += page.entries
                pageToken = page.nextPageToken
            } while !pageToken.isEmpty
            let data = try BookFile.json(book.entries)
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
