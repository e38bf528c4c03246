import ArgumentParser
import CardexProto
import Foundation
import FramedRPC

/// `cardex watch`: prints my account's events as they arrive.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print my account's events as they happen, until interrupted.",
        discussion: """
            Prints one line per event ("#SEQ share received from USER-ID: ITEM-ID", "#SEQ card updated: USER-ID version N", …) \
            and "watching (latest event N)" once caught up; with --json, each message as one JSON line. Every line is flushed \
            at once, so scripts can read it live. This device counts as online (shares are pushed to it) while it watches.
            """)

    @Option(help: ArgumentHelp("First replay the events after this sequence number (0: every event still kept).", valueName: "seq"))
    var after: UInt64?
    @Option(help: ArgumentHelp("Exit after this many events (the `ready` message does not count).", valueName: "n"))
    var count: Int?
    @OptionGroup var options: ClientOptions

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        try await options.withSignedInClient { client in
            let request = Cardex_V1_SubscribeRequest.with { if let after { $0.afterSeq = after } }
            var events = 0
            var lastSeq: UInt64?
            do {
                try await client.events.subscribe(request) { stream in
                    for try await message in stream {
                        try options.print(message) { Self.describe(message) }
                        fflush(nil)  // stdout is block-buffered when it is a pipe or file
                        switch message.message {
                        case .ready(let ready): lastSeq = ready.latestSeq
                        case .event(let event): (events, lastSeq) = (events + 1, event.seq)
                        case nil: break
                        }
                        if let count, events >= count { break }
                    }
                }
            } catch let error as RPCError {
                if let advice = Self.resyncAdvice(for: error, after: after ?? 0) { throw advice }
                guard error.code == .unavailable, let lastSeq else { throw error }
                throw CLIError("\(error.code): \(error.message). To go on, run `cardex watch --after \(lastSeq)`")
            }
            if let count, events < count {
                let resume = lastSeq.map { " --after \($0)" } ?? ""
                throw CLIError("the server ended the stream after \(events) of \(count) events: to go on, run `cardex watch\(resume)`")
            }
        }
    }

    /// The line printed for a message of the stream.
    static func describe(_ message: Cardex_V1_SubscribeResponse) -> String {
        switch message.message {
        case .ready(let ready): "watching (latest event \(ready.latestSeq))"
        case .event(let event): describe(event)
        case nil: "(a message this cardex does not know: update cardex)"
        }
    }

    /// `#SEQ what happened: whom it concerns`.
    static func describe(_ event: Cardex_V1_Event) -> String {
        let what =
            switch event.kind {
            case .shareReceived(let item): "share received from \(item.shared.userID): \(item.itemID)"
            case .shareAccepted(let answer): "share accepted by \(answer.userID): \(answer.shareID)"
            case .inboxItemRemoved(let removed): "inbox item \(describe(removed.reason)): \(removed.itemID)"
            case .cardUpdated(let shared): "card updated: \(shared.userID) version \(shared.version.version)"
            case .accessRemoved(let removed): "card no longer shared with me: \(removed.userID)"
            case .sharesWaiting(let waiting):
                "\(waiting.count) shares waiting: turn on the cloud address book to receive them"
            case .invitationReceived(let invitation):
                "invited by \(invitation.inviterUserID) to group \"\(invitation.groupName)\": \(invitation.invitationID)"
            case .groupJoined(let group): "joined group \"\(group.name)\": \(group.groupID)"
            case .memberJoined(let joined): "\(joined.member.userID) joined group \(joined.groupID)"
            case .memberLeft(let left): "\(left.userID) left group \(left.groupID)"
            case .membershipEnded(let ended): "no longer in group \(ended.groupID) (\(ended.reason))"
            case nil: "an event this cardex does not know: update cardex"
            }
        return "#\(event.seq) \(what)"
    }

    static func describe(_ reason: Cardex_V1_InboxItemRemoved.Reason) -> String {
        switch reason {
        case .accepted: "accepted"
        case .declined: "declined"
        case .withdrawn: "withdrawn"
        case .unspecified, .UNRECOGNIZED: "removed"
        }
    }

    /// For the error that asks this device to resync: what to run instead of the bare status.
    static func resyncAdvice(for error: RPCError, after: UInt64) -> CLIError? {
        guard error.code == .failedPrecondition,
            let detail = error.details.first(where: { $0.typeURL.hasSuffix("/" + Cardex_V1_ResyncRequired.protoMessageName) }),
            let resync = try? Cardex_V1_ResyncRequired(serializedBytes: detail.value)
        else { return nil }
        let problem =
            after > resync.latestSeq
            ? "there is no event \(after) yet: the latest is \(resync.latestSeq)"
            : "the events after \(after) are no longer kept: the oldest kept is \(resync.oldestAvailableSeq)"
        return CLIError(
            "\(problem). Catch up with `cardex inbox` and `cardex contacts`, then run `cardex watch --after \(resync.latestSeq)`")
    }
}
