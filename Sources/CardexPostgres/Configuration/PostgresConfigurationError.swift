/// A PostgreSQL URL or setting Cardex cannot use; ``description`` says what is wrong and what a
/// good one looks like.
public struct PostgresConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, with the expected form.
    public let description: String

    init(_ problem: String) {
        description =
            "\(problem): expected postgres://user:password@host:port/database"
            + "[?sslmode=disable|require|verify-full[&sslrootcert=PATH]]"
    }

    init(setting problem: String) {
        description = problem
    }
}
