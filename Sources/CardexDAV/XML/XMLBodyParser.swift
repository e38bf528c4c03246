import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses a request body into an ``XMLNode`` tree within limits, or says why it will not.
///
/// Hostile input gets nowhere: a document type declaration (the door to external entities and
/// entity expansion) is refused before parsing, and the parser gives up past
/// ``XMLLimits/maxDepth`` nested elements or ``XMLLimits/maxElements`` elements in all. The
/// body's size is bounded before it gets here (``CardDAVSettings/maxRequestBodyBytes``).
enum XMLBodyParser {
    /// Why a body is not a usable XML document.
    struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        let description: String
    }

    static func parse(_ data: Data, limits: XMLLimits) throws(Refusal) -> XMLNode {
        // Only UTF-8 is read, so that the check below sees what the parser will: in UTF-16 or
        // EBCDIC a declaration would pass it unseen.
        guard !data.contains(0), String(data: data, encoding: .utf8) != nil, !declaresOtherEncoding(data) else {
            throw Refusal(description: "an XML body must be UTF-8")
        }
        if containsDeclaration(data) {
            throw Refusal(description: "XML with a document type declaration is not accepted")
        }
        let delegate = TreeBuilder(limits: limits)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let parsed = parser.parse()
        if let refusal = delegate.refusal { throw refusal }
        guard parsed, let root = delegate.root else {
            throw Refusal(description: "the body is not well-formed XML (\(parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"))")
        }
        return root
    }

    /// Whether the XML declaration at the start of `data` names an encoding other than UTF-8
    /// (or its subset US-ASCII).
    static func declaresOtherEncoding(_ data: Data) -> Bool {
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>") else { return false }
        let declaration = head[..<end.lowerBound].lowercased().replacingOccurrences(of: " ", with: "")
        guard let range = declaration.range(of: "encoding=") else { return false }
        let value = declaration[range.upperBound...].dropFirst().prefix { $0 != "\"" && $0 != "'" }
        return !["utf-8", "utf8", "us-ascii"].contains(String(value))
    }

    /// Whether `data` holds `<!DOCTYPE` or `<!ENTITY`, in any case.
    static func containsDeclaration(_ data: Data) -> Bool {
        let bytes = [UInt8](data)
        for marker in ["<!doctype", "<!entity"] {
            let pattern = Array(marker.utf8)
            guard bytes.count >= pattern.count else { continue }
            for start in 0...(bytes.count - pattern.count) where bytes[start] == UInt8(ascii: "<") {
                if zip(bytes[start...], pattern).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) { return true }
            }
        }
        return false
    }

    /// Builds the tree as the parser reports elements, counting them.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        let limits: XMLLimits
        var stack: [XMLNode] = []
        var root: XMLNode?
        var elements = 0
        var refusal: Refusal?

        init(limits: XMLLimits) {
            self.limits = limits
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements += 1
            if stack.count >= limits.maxDepth {
                refuse(parser, "elements are nested more than \(limits.maxDepth) deep")
            } else if elements > limits.maxElements {
                refuse(parser, "more than \(limits.maxElements) elements")
            }
            stack.append(XMLNode(name: XMLName(namespaceURI ?? "", elementName)))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let node = stack.popLast() else { return }
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        private func refuse(_ parser: XMLParser, _ why: String) {
            if refusal == nil { refusal = Refusal(description: why) }
            parser.abortParsing()
        }
    }
}

/// How much XML a request body may hold.
public struct XMLLimits: Sendable, Hashable {
    /// Elements nested inside each other.
    public var maxDepth: Int
    /// Elements in the whole document.
    public var maxElements: Int

    /// Creates limits; ``CardDAVSettings/defaults`` holds the server's.
    public init(maxDepth: Int, maxElements: Int) {
        self.maxDepth = maxDepth
        self.maxElements = maxElements
    }
}
