/// Why the generator refused a request. The description says what went wrong and what to do;
/// protoc shows it to the user.
public enum GeneratorError: Error, Equatable, CustomStringConvertible {
    /// The parameter string named an option the generator does not know.
    case unknownOption(name: String)
    /// A known option had a value the generator does not accept.
    case invalidOptionValue(name: String, value: String, allowed: [String])
    /// The same option appeared twice.
    case duplicateOption(name: String)

    public var description: String {
        switch self {
        case .unknownOption(let name):
            "protoc-gen-framedrpc: unknown option '\(name)'; known options are "
                + GeneratorOptions.knownOptionNames.map { "'\($0)'" }.joined(separator: ", ")
                + " (pass them as --framedrpc_opt=Name=Value)"
        case .invalidOptionValue(let name, let value, let allowed):
            "protoc-gen-framedrpc: invalid value '\(value)' for option '\(name)'; use one of "
                + allowed.joined(separator: ", ")
        case .duplicateOption(let name):
            "protoc-gen-framedrpc: option '\(name)' is given more than once; give it once"
        }
    }
}
