import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One scrape of a metrics endpoint, read as Prometheus's text format: `name{labels} value` lines.
struct Scrape {
    let status: UInt
    let contentType: String?
    let text: String

    /// GETs (or sends `method` to) `path` on loopback `port` with AsyncHTTPClient.
    static func get(port: Int, path: String = "/metrics", method: HTTPMethod = .GET) async throws -> Scrape {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 4 << 20)
        return Scrape(status: response.status.code, contentType: response.headers.first(name: "content-type"), text: String(buffer: body))
    }

    /// The value of the sample `name` whose labels are exactly `labels`; nil when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let (sampleName, sampleLabels) = Self.parse(series)
            if sampleName == name, sampleLabels == labels { return Double(line[line.index(after: space)...]) }
        }
        return nil
    }

    /// `name{a="x",b="y"}` as its name and labels (values here hold no quotes or commas).
    private static func parse(_ series: Substring) -> (String, [String: String]) {
        guard let brace = series.firstIndex(of: "{") else { return (String(series), [:]) }
        var labels: [String: String] = [:]
        for pair in series[series.index(after: brace)...].dropLast().split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
        }
        return (String(series[..<brace]), labels)
    }
}
