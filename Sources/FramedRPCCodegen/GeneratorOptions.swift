/// The options protoc passes to the generator (`--framedrpc_opt=Name=Value`, comma-joined).
///
/// Option names and values ignore case. Unknown options, bad values and repeated options are
/// errors rather than being ignored, so a typo never silently changes the output.
public struct GeneratorOptions: Sendable, Equatable {
    /// The access level of every generated declaration. `Visibility=Internal|Public|Package`.
    public var visibility: Visibility
    /// How output files are named. `FileNaming=PathToUnderscores|FullPath|DropPath`.
    public var fileNaming: FileNaming

    /// The option names the generator accepts, as they are documented.
    public static let knownOptionNames = ["Visibility", "FileNaming"]

    /// Options with every value at its default: internal visibility, `PathToUnderscores` naming
    /// (what the build tool plugin expects).
    public static var defaults: GeneratorOptions {
        GeneratorOptions(visibility: .internal, fileNaming: .pathToUnderscores)
    }

    /// Creates options from explicit values.
    public init(visibility: Visibility, fileNaming: FileNaming) {
        self.visibility = visibility
        self.fileNaming = fileNaming
    }

    /// Parses the raw parameter string protoc sends, e.g. `Visibility=Public,FileNaming=FullPath`.
    ///
    /// - Throws: ``GeneratorError`` for an unknown option, a bad value or a repeated option.
    public init(parameter: String) throws(GeneratorError) {
        let pairs = parameter.split(separator: ",").map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].trimmingWhitespace()
            let value = parts.count > 1 ? parts[1].trimmingWhitespace() : ""
            return (key: key, value: value)
        }
        try self.init(pairs: pairs)
    }

    /// Parses options already split into pairs (as `CodeGeneratorParameter.parsedPairs` vends).
    ///
    /// - Throws: ``GeneratorError`` for an unknown option, a bad value or a repeated option.
    public init(pairs: [(key: String, value: String)]) throws(GeneratorError) {
        self = .defaults
        var seen: Set<String> = []
        for (key, value) in pairs where !key.isEmpty {
            guard seen.insert(key.lowercased()).inserted else {
                throw .duplicateOption(name: key)
            }
            switch key.lowercased() {
            case "visibility":
                guard let visibility = Visibility(optionValue: value) else {
                    throw .invalidOptionValue(name: key, value: value, allowed: ["Internal", "Public", "Package"])
                }
                self.visibility = visibility
            case "filenaming":
                guard let naming = FileNaming(optionValue: value) else {
                    throw .invalidOptionValue(
                        name: key,
                        value: value,
                        allowed: ["PathToUnderscores", "FullPath", "DropPath"]
                    )
                }
                self.fileNaming = naming
            default:
                throw .unknownOption(name: key)
            }
        }
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
