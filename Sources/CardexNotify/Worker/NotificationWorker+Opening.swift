import CardexCore

extension NotificationWorker {
    /// `message` with its body as the notifier must get it, or `nil` when it cannot be opened:
    /// the message is then given up (recorded as a final failure, its stored body erased) and
    /// never delivered.
    ///
    /// - A sealed body opens with ``sealer``. One that does not (altered, moved to another row,
    ///   sealed under another key or in a newer form) is given up at once: retrying cannot open
    ///   it, and delivering it would send ciphertext to a person. One error line says why, with
    ///   the message id only.
    /// - A plain body (no `sealed:` prefix) is delivered as it is. Every queue path seals, so
    ///   such a row was queued before sealing existed (an upgraded SQLite file); it is already
    ///   plain in the files, so delivering it reveals nothing more, and refusing it would lose
    ///   the codes and invitations queued across the upgrade. Sealing keeps the database's copies
    ///   from revealing bodies; it does not guard against someone who can write the database,
    ///   who could queue plain text this way, as they could before sealing.
    ///
    /// - Throws: the store's error when giving a message up fails; the message then stays due.
    func opened(_ message: OutboxMessage) async throws -> OutboxMessage? {
        guard MessageSealer.isSealed(message.body) else {
            logger.notice("delivering an unsealed notification body (queued before sealing)", metadata: ["outbox.id": "\(message.id)"])
            return message
        }
        do {
            var opened = message
            opened.body = try sealer.open(message.body, kind: message.kind, recipient: message.recipient)
            return opened
        } catch {
            logger.error(
                "notification body cannot be opened; giving the message up",
                metadata: ["outbox.id": "\(message.id)", "outbox.attempt": "\(message.attempts + 1)", "error": "\(error)"])
            try await store.markFailed(message.id, error: "\(error)", retryAt: nil)
            return nil
        }
    }
}
