import SwiftProtobufPluginLibrary

/// How RPC names from a `.proto` become Swift identifiers.
package enum SwiftNaming {
    /// Names that cannot name a nested type, even in backticks (`Method.Type` is a metatype),
    /// or that would shadow something the generated code refers to.
    private static let reservedTypeNames: Set<String> = {
        var names: Set<String> = ["Type", "Protocol", "Self", "Any", "Swift", "SwiftProtobuf", "FramedRPC"]
        // `Method.descriptors` sits beside the per-RPC namespaces.
        names.insert("descriptors")
        names.formUnion(swiftKeywordsUsedInDeclarations)
        names.formUnion(swiftKeywordsUsedInStatements)
        names.formUnion(swiftKeywordsUsedInExpressionsAndTypes)
        return names
    }()

    /// Keywords that name a function only in backticks.
    private static let quotedFunctionNames: Set<String> =
        swiftKeywordsUsedInDeclarations
        .union(swiftKeywordsUsedInStatements)
        .union(swiftKeywordsUsedInExpressionsAndTypes)

    /// The namespace enum for an RPC inside `Method`: the RPC name as written, with `Method`
    /// appended when the name is reserved (`Type` becomes `TypeMethod`).
    package static func typeName(forRPC name: String) -> String {
        reservedTypeNames.contains(name) ? name + "Method" : name
    }

    /// The function name for an RPC: lowerCamelCase, in backticks when it is a Swift keyword.
    ///
    /// A leading run of capitals is lowercased as one word (`EmptyCall` → `emptyCall`,
    /// `HTTPGet` → `httpGet`, `URL` → `url`); the rest is kept as written, so `Return` becomes
    /// `` `return` ``.
    package static func functionName(forRPC name: String) -> String {
        let lowered = lowercasingLeadingCapitals(name)
        return quotedFunctionNames.contains(lowered) ? "`\(lowered)`" : lowered
    }

    /// Lowercases the leading capitals; when more than one leads into a lowercase letter, the
    /// last capital starts the next word and stays.
    static func lowercasingLeadingCapitals(_ name: String) -> String {
        let characters = Array(name)
        let leading = characters.prefix(while: \.isUppercase).count
        guard leading > 0 else { return name }
        let followedByWord = leading < characters.count && characters[leading].isLowercase
        let lowerCount = (leading > 1 && followedByWord) ? leading - 1 : leading
        return String(characters[..<lowerCount]).lowercased() + String(characters[lowerCount...])
    }
}
