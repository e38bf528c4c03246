/// The most metadata a receiver takes from its peer (docs/PROTOCOL.md §6), checked before the
/// work the metadata would cost: first the size of the frame payload that carries it, before
/// decoding, then the decoded entries, before they become ``Metadata``.
///
/// Size is counted as HTTP/2 counts a header list (RFC 9113 §6.5.2) and gRPC limits it: per
/// entry, the key's bytes, the value's bytes (UTF-8 text, or raw binary) and 32.
struct MetadataLimit: Sendable {
    /// Bytes each entry counts beyond its key and value.
    static let entryOverhead = 32
    /// What a payload may hold beyond its metadata before it is refused undecoded: a
    /// `CallHeaders`' method path and timeout, and fields a later minor version may add.
    /// An entry's protobuf encoding is its key and value plus at most 15 bytes of tags and
    /// lengths, below ``entryOverhead``, so metadata within the limit always fits.
    static let payloadAllowance = 1 << 10

    /// The largest metadata size accepted, in bytes.
    var maxSize: Int

    /// Throws `RESOURCE_EXHAUSTED` for a payload of `payloadSize` bytes that cannot hold
    /// metadata within the limit; `what` names the payload in the message.
    func check(payloadSize: Int, of what: String) throws(RPCError) {
        guard payloadSize > maxSize + Self.payloadAllowance else { return }
        throw RPCError(
            code: .resourceExhausted,
            message: "\(what) of \(payloadSize) bytes is larger than metadata of at most \(maxSize) bytes needs (the receiver's limit)"
        )
    }

    /// Throws `RESOURCE_EXHAUSTED` when `entries` are larger than the limit; `what` names them.
    func check(_ entries: [Framedrpc_V1_MetadataEntry], of what: String) throws(RPCError) {
        var size = 0
        for entry in entries {
            size += entry.key.utf8.count + Self.entryOverhead
            switch entry.value {
            case .text(let text): size += text.utf8.count
            case .binary(let bytes): size += bytes.count
            case nil: break
            }
        }
        guard size > maxSize else { return }
        throw RPCError(
            code: .resourceExhausted,
            message:
                "\(what) of \(size) bytes (\(entries.count) entries; each counts its key, its value and \(Self.entryOverhead)) exceeds the receiver's limit of \(maxSize) bytes"
        )
    }
}
