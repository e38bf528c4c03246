import Tracing

/// Reads a trace context (W3C `traceparent` and `tracestate`, or whatever the tracer's
/// propagator uses) from request metadata.
struct MetadataExtractor: Extractor {
    func extract(key: String, from carrier: Metadata) -> String? {
        carrier.firstText(key.lowercased())  // metadata keys are lowercase on the wire
    }
}

/// Writes the current trace context into request metadata, replacing what the caller put
/// under the same key (a stale `traceparent` would break the trace).
struct MetadataInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout Metadata) {
        let key = key.lowercased()
        carrier.removeAll(key)
        carrier.add(key, text: value)
    }
}

extension MethodDescriptor {
    /// The attributes OpenTelemetry's RPC conventions give every call's span.
    func spanAttributes(_ attributes: inout SpanAttributes) {
        attributes["rpc.system"] = "framedrpc"
        attributes["rpc.service"] = service
        attributes["rpc.method"] = method
    }

    /// The span's name: `package.Service/Method`, as OpenTelemetry names RPC spans.
    var spanName: String { "\(service)/\(method)" }
}

extension Span {
    /// Records the call's status code as `rpc.framedrpc.status_code`.
    func record(_ code: StatusCode) {
        attributes["rpc.framedrpc.status_code"] = Int(code.rawValue)
    }
}
