import Foundation
import FramedRPC

/// The interop cases, named and parameterised as in gRPC's interop test descriptions.
/// Each runs against a server hosting ``TestServiceImplementation`` and throws
/// ``InteropFailure`` or the unexpected ``RPCError`` when the server misbehaves.
public enum InteropCase: String, CaseIterable, Sendable {
    case emptyUnary = "empty_unary"
    case largeUnary = "large_unary"
    case clientStreaming = "client_streaming"
    case serverStreaming = "server_streaming"
    case pingPong = "ping_pong"
    case emptyStream = "empty_stream"
    case customMetadata = "custom_metadata"
    case statusCodeAndMessage = "status_code_and_message"
    case specialStatusMessage = "special_status_message"
    case unimplementedMethod = "unimplemented_method"
    case unimplementedService = "unimplemented_service"
    case cancelAfterBegin = "cancel_after_begin"
    case cancelAfterFirstResponse = "cancel_after_first_response"
    case timeoutOnSleepingServer = "timeout_on_sleeping_server"
    case concurrentLargeUnary = "concurrent_large_unary"

    /// Runs the case over `client`.
    public func run(using client: RPCClient) async throws {
        let service = Framedrpc_Testing_TestService.Client(wrapping: client)
        switch self {
        case .emptyUnary: try await Self.emptyUnary(service)
        case .largeUnary: try await Self.largeUnary(service)
        case .clientStreaming: try await Self.clientStreaming(service)
        case .serverStreaming: try await Self.serverStreaming(service)
        case .pingPong: try await Self.pingPong(service)
        case .emptyStream: try await Self.emptyStream(service)
        case .customMetadata: try await Self.customMetadata(service)
        case .statusCodeAndMessage: try await Self.statusCodeAndMessage(service, message: "test status message")
        case .specialStatusMessage:
            try await Self.statusCodeAndMessage(service, message: "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")
        case .unimplementedMethod: try await Self.unimplementedMethod(service)
        case .unimplementedService: try await Self.unimplementedService(client)
        case .cancelAfterBegin: try await Self.cancelAfterBegin(service)
        case .cancelAfterFirstResponse: try await Self.cancelAfterFirstResponse(service)
        case .timeoutOnSleepingServer: try await Self.timeoutOnSleepingServer(service)
        case .concurrentLargeUnary: try await Self.concurrentLargeUnary(service)
        }
    }

    typealias Service = Framedrpc_Testing_TestService.Client

    static let requestSizes: [Int32] = [27182, 8, 1828, 45904]
    static let responseSizes: [Int32] = [31415, 9, 2653, 58979]

    private static func emptyUnary(_ service: Service) async throws {
        let response = try await service.emptyCall(Framedrpc_Testing_Empty())
        try check(response == Framedrpc_Testing_Empty(), "EmptyCall returned a non-empty message")
    }

    static let largeRequest = Framedrpc_Testing_SimpleRequest.with {
        $0.responseSize = 314_159
        $0.payload = TestServiceImplementation.payload(size: 271_828)
    }

    private static func largeUnary(_ service: Service) async throws {
        let response = try await service.unaryCall(largeRequest)
        try check(response.payload.body == Data(count: 314_159), "expected 314159 zero bytes, got \(response.payload.body.count) bytes")
    }

    private static func clientStreaming(_ service: Service) async throws {
        let response = try await service.streamingInputCall { writer in
            for size in requestSizes {
                try await writer.write(.with { $0.payload = TestServiceImplementation.payload(size: size) })
            }
        }
        try check(response.aggregatedPayloadSize == 74922, "expected aggregated size 74922, got \(response.aggregatedPayloadSize)")
    }

    private static func serverStreaming(_ service: Service) async throws {
        let request = Framedrpc_Testing_StreamingOutputCallRequest.with {
            $0.responseParameters = responseSizes.map { size in .with { $0.size = size } }
        }
        let sizes = try await service.streamingOutputCall(request) { responses in
            var sizes: [Int] = []
            for try await response in responses { sizes.append(response.payload.body.count) }
            return sizes
        }
        try check(sizes == responseSizes.map(Int.init), "expected response sizes \(responseSizes), got \(sizes)")
    }

    private static func pingPong(_ service: Service) async throws {
        try await service.fullDuplexCall { requests, responses in
            var iterator = responses.makeAsyncIterator()
            for (requestSize, responseSize) in zip(requestSizes, responseSizes) {
                try await requests.write(
                    .with {
                        $0.responseParameters = [.with { $0.size = responseSize }]
                        $0.payload = TestServiceImplementation.payload(size: requestSize)
                    })
                let response = try await iterator.next()
                try check(
                    response?.payload.body.count == Int(responseSize),
                    "expected a \(responseSize)-byte response, got \(String(describing: response?.payload.body.count))")
            }
            await requests.finish()
            try check(try await iterator.next() == nil, "expected the stream to end after the last response")
        }
    }

    private static func emptyStream(_ service: Service) async throws {
        let count = try await service.fullDuplexCall { requests, responses in
            await requests.finish()
            var count = 0
            for try await _ in responses { count += 1 }
            return count
        }
        try check(count == 0, "expected no responses, got \(count)")
    }

    private static func customMetadata(_ service: Service) async throws {
        let initialValue = "test_initial_metadata_value"
        let trailingValue: [UInt8] = [0xAB, 0xAB, 0xAB]
        let metadata: Metadata = [
            TestServiceImplementation.echoInitialKey: .text(initialValue),
            TestServiceImplementation.echoTrailingKey: .binary(trailingValue),
        ]
        let request = Framedrpc_Testing_SimpleRequest.with {
            $0.responseSize = 314_159
            $0.payload = TestServiceImplementation.payload(size: 271_828)
        }
        try await service.unaryCall(request, metadata: metadata) { response in
            try check(
                response.initialMetadata.firstText(TestServiceImplementation.echoInitialKey) == initialValue,
                "unary: initial metadata not echoed: \(response.initialMetadata)")
            try check(
                response.trailingMetadata.firstBinary(TestServiceImplementation.echoTrailingKey) == trailingValue,
                "unary: trailing metadata not echoed: \(response.trailingMetadata)")
        }
        try await service.fullDuplexCall(metadata: metadata) { requests, responses in
            try await requests.write(
                .with {
                    $0.responseParameters = [.with { $0.size = 314_159 }]
                    $0.payload = TestServiceImplementation.payload(size: 271_828)
                })
            await requests.finish()
            var count = 0
            for try await _ in responses { count += 1 }
            try check(count == 1, "full duplex: expected 1 response, got \(count)")
            let initial = try await responses.initialMetadata
            try check(initial.firstText(TestServiceImplementation.echoInitialKey) == initialValue, "full duplex: initial metadata not echoed: \(initial)")
            let trailing = responses.trailingMetadata
            try check(
                trailing?.firstBinary(TestServiceImplementation.echoTrailingKey) == trailingValue,
                "full duplex: trailing metadata not echoed: \(String(describing: trailing))")
        }
    }

    private static func statusCodeAndMessage(_ service: Service, message: String) async throws {
        let status = Framedrpc_Testing_EchoStatus.with {
            $0.code = 2
            $0.message = message
        }
        let unary = try await expectError(.unknown) {
            try await service.unaryCall(.with { $0.responseStatus = status })
        }
        try check(unary.message == message, "unary: expected message \(message.debugDescription), got \(unary.message.debugDescription)")
        let duplex = try await expectError(.unknown) {
            try await service.fullDuplexCall { requests, responses in
                try await requests.write(.with { $0.responseStatus = status })
                await requests.finish()
                for try await _ in responses {}
            }
        }
        try check(duplex.message == message, "full duplex: expected message \(message.debugDescription), got \(duplex.message.debugDescription)")
    }

    private static func unimplementedMethod(_ service: Service) async throws {
        try await expectError(.unimplemented) {
            try await service.unimplementedCall(Framedrpc_Testing_Empty())
        }
    }

    private static func unimplementedService(_ client: RPCClient) async throws {
        let service = Framedrpc_Testing_UnimplementedService.Client(wrapping: client)
        try await expectError(.unimplemented) {
            try await service.unimplementedCall(Framedrpc_Testing_Empty())
        }
    }

    private static func cancelAfterBegin(_ service: Service) async throws {
        let task = Task {
            try await service.streamingInputCall { _ in
                try await Task.sleep(for: .seconds(10))
            }
        }
        task.cancel()
        let error = try await expectError(.cancelled) { try await task.value }
        _ = error
    }

    private static func cancelAfterFirstResponse(_ service: Service) async throws {
        let gotFirst = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            try await service.fullDuplexCall { requests, responses in
                try await requests.write(
                    .with {
                        $0.responseParameters = [.with { $0.size = 31415 }]
                        $0.payload = TestServiceImplementation.payload(size: 27182)
                    })
                var iterator = responses.makeAsyncIterator()
                _ = try await iterator.next()
                gotFirst.continuation.yield()
                _ = try await iterator.next()
            }
        }
        for await _ in gotFirst.stream { break }
        task.cancel()
        try await expectError(.cancelled) { try await task.value }
    }

    private static func timeoutOnSleepingServer(_ service: Service) async throws {
        try await expectError(.deadlineExceeded) {
            try await service.fullDuplexCall(options: CallOptions(timeout: .milliseconds(1))) { requests, responses in
                try await requests.write(.with { $0.payload = TestServiceImplementation.payload(size: 27182) })
                for try await _ in responses {}
            }
        }
    }

    private static func concurrentLargeUnary(_ service: Service) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<32 {
                group.addTask { try await largeUnary(service) }
            }
            try await group.waitForAll()
        }
    }
}
