import CardexCore
import CardexUseCases

/// What every Cardex handler works with: the use cases, the clock and the rules.
struct ServiceEnvironment: Sendable {
    let useCases: UseCases
    let clock: any WallClock
    let phoneNumbers: PhoneNumberParser
    let registration: RegistrationPolicy
    let cards: CardValidator
    /// Earlier card versions kept per person.
    let cardHistoryLimit: Int
    let codeHasher: CodeHasher
    /// Checks address-book entries.
    let books: BookValidator
    /// Limits on groups.
    let groups: GroupPolicy
    /// Limits on sharing.
    let sharing: SharingPolicy
    /// Which people have a device online.
    let presence: any Presence
    /// Tells the notification worker a message was queued.
    let outboxChanged: @Sendable () -> Void
    /// What the services count.
    let metrics: CardexMetrics
}
