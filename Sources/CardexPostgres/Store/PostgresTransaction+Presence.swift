import CardexCore
import PostgresNIO

extension PostgresTransaction {
    func isOnlineElsewhere(_ user: UserID) async throws -> Bool {
        try await value(
            """
            SELECT EXISTS (
                SELECT 1 FROM device_presence p JOIN instances i ON i.id = p.instance_id
                WHERE p.user_id = \(user.rawValue) AND p.instance_id <> \(instance) AND i.expires_at > now()
            )
            """, as: Bool.self) ?? false
    }
}
