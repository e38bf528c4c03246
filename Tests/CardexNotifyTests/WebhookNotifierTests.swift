import CardexCore
import CardexNotify
import Foundation
import NIOHTTP1
import Testing

@Suite("WebhookNotifier")
struct WebhookNotifierTests {
    @Test("POSTs the message as JSON with Idempotency-Key and the configured headers")
    func postsJSON() async throws {
        let receiver = try await HTTPReceiver(statuses: [204])
        let configuration = WebhookNotifier.Configuration(
            requestTimeout: .seconds(5), headers: ["Authorization": "Bearer test-token"])
        let notifier = WebhookNotifier(url: receiver.url, configuration: configuration)

        try await notifier.deliver(Fixtures.message(id: 42))
        try await receiver.stop()

        let requests = receiver.requests
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.method == .POST)
        #expect(request.uri == "/hook")
        #expect(request.headers["Idempotency-Key"] == ["42"])
        #expect(request.headers["Content-Type"] == ["application/json"])
        #expect(request.headers["Authorization"] == ["Bearer test-token"])
        let json = try #require(request.jsonObject)
        #expect(json["id"] as? Int == 42)
        #expect(json["kind"] as? String == "verification_code")
        #expect(json["to"] as? String == "+4915123456789")
        #expect(json["body"] as? String == "Your Cardex code is 123456")
        #expect(json["created_at"] as? String == Fixtures.createdText)
    }

    @Test("a non-2xx answer throws an error naming the URL and the status", arguments: [400, 404, 500, 503])
    func non2xxThrows(status: Int) async throws {
        let receiver = try await HTTPReceiver(statuses: [status])
        let notifier = WebhookNotifier(url: receiver.url)

        let error = await #expect(throws: WebhookError.self) {
            try await notifier.deliver(Fixtures.message())
        }
        try await receiver.stop()

        #expect(error?.status == status)
        #expect(error?.description.contains(receiver.url.absoluteString) == true)
        #expect(error?.description.contains("HTTP \(status)") == true)
        #expect(error?.description.contains("123456") == false, "the body never appears in errors")
        #expect(receiver.requests.count == 1)
    }

    @Test("no answer (connection refused) throws an error naming the URL")
    func connectionRefusedThrows() async throws {
        let receiver = try await HTTPReceiver()
        try await receiver.stop()
        // AsyncHTTPClient keeps retrying a refused connection until the request timeout.
        let notifier = WebhookNotifier(url: receiver.url, configuration: .with { $0.requestTimeout = .milliseconds(500) })

        let error = await #expect(throws: WebhookError.self) {
            try await notifier.deliver(Fixtures.message())
        }
        #expect(error?.status == nil)
        #expect(error?.underlying != nil)
        #expect(error?.description.contains(receiver.url.absoluteString) == true)
    }

    @Test("user info and query of the URL, which may hold credentials, stay out of errors")
    func errorsHideCredentials() async throws {
        let receiver = try await HTTPReceiver(statuses: [401])
        var components = try #require(URLComponents(url: receiver.url, resolvingAgainstBaseURL: false))
        components.user = "user"
        components.password = "password-secret"
        components.query = "token=query-secret"
        let url = try #require(components.url)

        let error = await #expect(throws: WebhookError.self) {
            try await WebhookNotifier(url: url).deliver(Fixtures.message())
        }
        try await receiver.stop()

        #expect(error?.status == 401)
        #expect(error?.description.contains("query-secret") == false)
        #expect(error?.description.contains("password-secret") == false)
        #expect(error?.url == receiver.url.absoluteString)
    }
}
