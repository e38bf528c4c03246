/// A parsed XML element: its name, children and text. Request bodies in CardDAV are small
/// trees, so the parser builds one and the requests read it.
struct XMLNode: Sendable, Hashable {
    var name: XMLName
    var children: [XMLNode] = []
    var text = ""

    /// The first child named `name`.
    func child(_ name: XMLName) -> XMLNode? {
        children.first { $0.name == name }
    }

    /// The children named `name`.
    func children(_ name: XMLName) -> [XMLNode] {
        children.filter { $0.name == name }
    }
}
