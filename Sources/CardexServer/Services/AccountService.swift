import CardexCore
import CardexProto
import FramedRPC

/// The signed-in person's account: settings, sessions, logout and deletion.
struct AccountService: Cardex_V1_AccountService.ServiceProtocol {
    let environment: ServiceEnvironment
    /// Ends revoked sessions here and on the other instances: their tokens stop working and
    /// their event streams close.
    let revocations: Revocations
    /// Forgets a deleted account's lookup budget (before the store deletes the saved one).
    let lookups: LookupLimiter

    func getAccount(request: Cardex_V1_GetAccountRequest, context: ServerContext) async throws -> Cardex_V1_Account {
        try await account(of: context.caller()).proto
    }

    func updateSettings(request: Cardex_V1_UpdateSettingsRequest, context: ServerContext) async throws -> Cardex_V1_Account {
        let change = SettingsChange(
            cloudAddressBook: request.hasCloudAddressBook ? request.cloudAddressBook : nil,
            autoSendCard: request.hasAutoSendCard ? request.autoSendCard : nil,
            discoverableBy: try Discoverability(proto: request.discoverableBy))
        return try await environment.useCases.accounts.updateSettings(change, of: context.caller().userID, now: environment.clock.now()).proto
    }

    func listSessions(request: Cardex_V1_ListSessionsRequest, context: ServerContext) async throws -> Cardex_V1_ListSessionsResponse {
        let caller = try context.caller()
        let sessions = try await environment.useCases.accounts.sessions(of: caller.userID)
        return .with { $0.sessions = sessions.map { $0.proto(current: caller) } }
    }

    func revokeSession(request: Cardex_V1_RevokeSessionRequest, context: ServerContext) async throws -> Cardex_V1_RevokeSessionResponse {
        guard
            try await environment.useCases.accounts.revokeSession(
                request.sessionID, of: context.caller().userID, now: environment.clock.now())
        else {
            throw CardexError.notFound("you have no session \"\(request.sessionID.prefix(64))\"; ListSessions shows yours")
        }
        await revocations.revoked(session: request.sessionID)
        return Cardex_V1_RevokeSessionResponse()
    }

    func createAppPassword(
        request: Cardex_V1_CreateAppPasswordRequest, context: ServerContext
    ) async throws -> Cardex_V1_CreateAppPasswordResponse {
        let caller = try context.caller()
        let deviceName = try UserText.check(request.deviceName, what: "device_name", maxBytes: RegistrationService.maxDeviceNameBytes)
        guard !deviceName.isEmpty else {
            throw CardexError.invalidArgument("device_name must name the app the password is for, as you will recognise it in ListSessions")
        }
        let password = AppPassword.generate()
        let session = try await environment.useCases.accounts.createAppPassword(
            for: caller.userID, deviceName: deviceName, passwordHash: password.hash, now: environment.clock.now())
        let account = try await account(of: caller)
        return .with {
            $0.password = password.text
            $0.username = account.phone.e164
            $0.session = session.proto(current: caller)
        }
    }

    func logout(request: Cardex_V1_LogoutRequest, context: ServerContext) async throws -> Cardex_V1_LogoutResponse {
        let caller = try context.caller()
        _ = try await environment.useCases.accounts.revokeSession(caller.id, of: caller.userID, now: environment.clock.now())
        await revocations.revoked(session: caller.id)
        return Cardex_V1_LogoutResponse()
    }

    func deleteAccount(request: Cardex_V1_DeleteAccountRequest, context: ServerContext) async throws -> Cardex_V1_DeleteAccountResponse {
        let account = try await account(of: context.caller())
        let confirmed = try? environment.phoneNumbers.parse(request.confirmPhone)
        guard confirmed == account.phone else {
            throw CardexError.failedPrecondition("confirm_phone must be this account's number to delete it")
        }
        await lookups.forget(.account(account.userID))
        try await environment.useCases.accounts.delete(account.userID, now: environment.clock.now())
        await revocations.deleted(account: account.userID)
        return Cardex_V1_DeleteAccountResponse()
    }

    private func account(of session: DeviceSession) async throws -> Account {
        guard let account = try await environment.useCases.accounts.account(session.userID) else {
            throw CardexError.unauthenticated("the account of this session no longer exists")
        }
        return account
    }
}
