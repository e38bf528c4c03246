import ArgumentParser
import CardexProto

/// `cardex register <phone>`: asks for a code.
struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask for a sign-in code for a phone number (registration and login are the same).")

    @Argument(help: "The phone number, in E.164 (+12015550123) or as a national number of the server's default region.") var phone: String
    @Flag(help: "Ask for a code to move this account to the number instead.") var changeNumber = false
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await runClientCommand {
            let profile = try options.resolvedProfile()
            let client = try options.client(profile)
            defer { Task { await client.close() } }
            let answer = try await client.registration.requestCode(
                .with {
                    $0.phone = phone
                    $0.purpose = changeNumber ? .changeNumber : .register
                })
            try profile.save(to: options.profile)
            try options.print(answer) {
                "code sent to \(answer.phone); valid \(answer.expiresInSeconds / 60) minutes. Next: cardex verify \(answer.phone) <code>"
            }
        }
    }
}

/// `cardex verify <phone> <code>`: signs in and keeps the session in the profile.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the code: signs in (or changes the number with --change-number).")

    @Argument(help: "The phone number the code was sent to.") var phone: String
    @Argument(help: "The 6-digit code.") var code: String
    @Option(help: "A name for this device, shown by `cardex sessions`.") var device = "cardex CLI"
    @Flag(help: "The code was asked for with `register --change-number`.") var changeNumber = false
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await runClientCommand {
            var profile = try options.resolvedProfile()
            let client = try options.client(profile)
            defer { Task { await client.close() } }
            let answer = try await client.registration.verifyCode(
                .with {
                    $0.phone = phone
                    $0.code = code
                    $0.purpose = changeNumber ? .changeNumber : .login
                    $0.deviceName = device
                })
            if !answer.sessionToken.isEmpty { profile.token = answer.sessionToken }
            // A sync token belongs to its account.
            if profile.userID != answer.userID { profile.syncToken = nil }
            profile.userID = answer.userID
            profile.phone = answer.phone
            try profile.save(to: options.profile)
            try options.print(answer) {
                changeNumber
                    ? "number changed to \(answer.phone); user id \(answer.userID)"
                    : "\(answer.created ? "registered" : "signed in") as \(answer.phone); user id \(answer.userID)"
            }
        }
    }
}
