import CardexCore
import CardexProto
import FramedRPC

/// Sign-in by verification code, and the code step of a number change.
struct RegistrationService: Cardex_V1_RegistrationService.ServiceProtocol {
    let environment: ServiceEnvironment

    func requestCode(request: Cardex_V1_RequestCodeRequest, context: ServerContext) async throws -> Cardex_V1_RequestCodeResponse {
        let purpose = try Self.purpose(request.purpose, session: context.session)
        let phone = try environment.phoneNumbers.parse(request.phone)
        let code = VerificationCode.generate()
        try await environment.useCases.accounts.issueCode(
            CodeIssue(
                phone: phone, purpose: purpose,
                codeHash: environment.codeHasher.hash(code, phone: phone, purpose: purpose),
                requester: purpose == .changeNumber ? context.session?.userID : nil,
                clientAddress: context.clientAddress,
                messageBody:
                    "Your Cardex code is \(code.digits). It is valid for \(Int(environment.registration.codeLifetime.timeInterval / 60)) minutes. Do not share it."
            ),
            now: environment.clock.now())
        environment.metrics.codesSent.increment()
        return .with {
            $0.phone = phone.e164
            $0.expiresInSeconds = Int64(environment.registration.codeLifetime.timeInterval)
        }
    }

    func verifyCode(request: Cardex_V1_VerifyCodeRequest, context: ServerContext) async throws -> Cardex_V1_VerifyCodeResponse {
        let purpose = try Self.purpose(request.purpose, session: context.session)
        let phone = try environment.phoneNumbers.parse(request.phone)
        let code = VerificationCode(digits: request.code)
        guard code.isWellFormed else {
            throw CardexError.invalidArgument("a code is 6 digits, as in the message sent to \(phone)")
        }
        do {
            return try await verify(code, phone: phone, purpose: purpose, request: request, context: context)
        } catch CardexError.permissionDenied(let reason) {
            environment.metrics.verificationsFailed.increment()
            throw CardexError.permissionDenied(reason)
        }
    }

    /// Signs in or changes the number with a well-formed code.
    /// - Throws: ``CardexError/permissionDenied(_:)`` for a wrong, expired, used or exhausted code.
    private func verify(
        _ code: VerificationCode, phone: PhoneNumber, purpose: CodePurpose, request: Cardex_V1_VerifyCodeRequest, context: ServerContext
    ) async throws -> Cardex_V1_VerifyCodeResponse {
        let codeHash = environment.codeHasher.hash(code, phone: phone, purpose: purpose)
        let now = environment.clock.now()

        switch purpose {
        case .signIn:
            let deviceName = try UserText.check(request.deviceName, what: "device_name", maxBytes: Self.maxDeviceNameBytes)
            let token = SessionToken.generate()
            let signIn = try await environment.useCases.accounts.signIn(
                phone: phone, codeHash: codeHash, tokenHash: token.hash, deviceName: deviceName, now: now)
            return .with {
                $0.userID = signIn.account.userID.rawValue
                $0.phone = phone.e164
                $0.created = signIn.created
                $0.sessionToken = token.text
                $0.sessionID = signIn.session.id
            }
        case .changeNumber:
            let session = try context.caller()
            let account = try await environment.useCases.accounts.changeNumber(of: session.userID, to: phone, codeHash: codeHash, now: now)
            return .with {
                $0.userID = account.userID.rawValue
                $0.phone = account.phone.e164
                $0.sessionID = session.id
            }
        }
    }

    /// Longest device name, in UTF-8 bytes.
    static let maxDeviceNameBytes = 100

    /// The stored purpose for a requested one; a number change needs a session.
    private static func purpose(_ proto: Cardex_V1_CodePurpose, session: DeviceSession?) throws -> CodePurpose {
        switch proto {
        case .register, .login: return .signIn
        case .changeNumber:
            guard session != nil else {
                throw RPCError(code: .unauthenticated, message: "changing the number needs the session of the account to move")
            }
            return .changeNumber
        case .unspecified, .UNRECOGNIZED:
            throw CardexError.invalidArgument("purpose is missing: set REGISTER, LOGIN or CHANGE_NUMBER")
        }
    }
}
