import ArgumentParser
import CardexProto

/// A field to share on the command line: `KIND[:LABEL]`, every field of the kind or only those
/// with the label. Kinds are those of `cardex card set`.
struct FieldSelectorArgument: ExpressibleByArgument {
    let selector: Cardex_V1_FieldSelector

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1)
        guard let kindName = parts.first, let kind = CardFieldArgument.kinds.first(where: { $0.0 == kindName.lowercased() })?.1 else {
            return nil
        }
        selector = .with {
            $0.kind = kind
            $0.label = parts.count > 1 ? String(parts[1]) : ""
        }
    }

    /// `kind` or `kind:label`, as the argument is written.
    static func describe(_ selector: Cardex_V1_FieldSelector) -> String {
        let kind = CardFieldArgument.name(of: selector.kind)
        return selector.label.isEmpty ? kind : "\(kind):\(selector.label)"
    }

    static var defaultCompletionKind: CompletionKind { .list(CardFieldArgument.kindNames) }
}
