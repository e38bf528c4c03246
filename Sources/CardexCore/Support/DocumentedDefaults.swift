/// Settings whose values are written once, in ``defaults``, and changed from there: every
/// configuration and policy of Cardex that callers adjust a few values of.
public protocol DocumentedDefaults {
    /// Every value, with the reasons in its documentation.
    static var defaults: Self { get }
}

extension DocumentedDefaults {
    /// ``defaults`` with `change` applied, such as `.with { $0.port = 0 }`.
    public static func with(_ change: (inout Self) throws -> Void) rethrows -> Self {
        var settings = defaults
        try change(&settings)
        return settings
    }
}
