/// The access level the generator gives every declaration it writes.
public enum Visibility: String, Sendable, CaseIterable {
    /// No keyword: the declarations are visible inside their module only.
    case `internal`
    /// `public`: visible to every module that imports the generated code.
    case `public`
    /// `package`: visible to the other modules of the same package.
    case `package`

    /// Parses an option value, ignoring case (`Public`, `public` and `PUBLIC` are the same).
    /// Returns `nil` for anything else.
    public init?(optionValue: String) {
        self.init(rawValue: optionValue.lowercased())
    }

    /// The keyword and a trailing space to put before a declaration; empty for `internal`,
    /// which is Swift's default.
    public var declarationPrefix: String {
        switch self {
        case .internal: ""
        case .public: "public "
        case .package: "package "
        }
    }
}
