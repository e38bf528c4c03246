"""protoc-gen-framedrpc-python on hand-made CodeGeneratorRequests: names, imports, the four
call kinds threaded and asyncio, comments as docstrings, and the protos it refuses. (That
Generated/python matches Proto/ is scripts/generate.sh --check.)"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from google.protobuf import descriptor_pb2
from google.protobuf.compiler import plugin_pb2

from framedrpc_python_plugin import generate, output_name, pb2_module, snake_case
from repo_paths import REPO

PLUGIN = REPO / "clients" / "python" / "codegen" / "protoc-gen-framedrpc-python"


@pytest.mark.parametrize("name, expected", [
    ("ShareCard", "share_card"), ("GetURL", "get_url"), ("ListSharedWithMe", "list_shared_with_me"),
    ("HTTPGet", "http_get"), ("V2Call", "v2_call"), ("Import", "import_"), ("get", "get"),
])
def test_snake_case(name, expected):
    assert snake_case(name) == expected


def test_file_names_follow_protoc():
    assert output_name("cardex/v1/share.proto") == "cardex/v1/share_framedrpc.py"
    assert pb2_module("cardex/v1/share.proto") == "cardex.v1.share_pb2"


def types_file(name: str, package: str) -> descriptor_pb2.FileDescriptorProto:
    outer = descriptor_pb2.DescriptorProto(name="Outer")
    outer.nested_type.add(name="Inner")
    return descriptor_pb2.FileDescriptorProto(
        name=name, package=package, message_type=[outer, descriptor_pb2.DescriptorProto(name="Req")])


def service_file() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(
        name="demo/v1/api.proto", package="demo.v1",
        dependency=["demo/v1/types.proto", "other/v1/types.proto"])
    service = proto.service.add(name="DemoService")
    for name, client_streaming, server_streaming in [
        ("Import", False, False), ("Watch", False, True), ("Upload", True, False),
        ("Chat", True, True),
    ]:
        service.method.add(name=name, input_type=".demo.v1.Req",
                           output_type=".other.v1.Outer.Inner",
                           client_streaming=client_streaming, server_streaming=server_streaming)
    location = proto.source_code_info.location
    location.add(path=[6, 0], leading_comments=' Says """hi""" with a \\ backslash.\n')
    location.add(path=[6, 0, 2, 1], leading_comments=" Streams.\n Two lines.\n")
    proto.service.add(name="Empty")  # a service without methods still gets a stub
    return proto


def request_for(*files, generate_names=None) -> plugin_pb2.CodeGeneratorRequest:
    request = plugin_pb2.CodeGeneratorRequest(proto_file=files)
    request.file_to_generate.extend(generate_names or [files[-1].name])
    return request


def generated_source() -> str:
    request = request_for(types_file("demo/v1/types.proto", "demo.v1"),
                          types_file("other/v1/types.proto", "other.v1"), service_file())
    response = generate(request)
    assert not response.error
    [output] = response.file
    assert output.name == "demo/v1/api_framedrpc.py"
    return output.content


def test_generated_module_is_valid_python_with_a_stub_and_an_async_stub_per_service():
    tree = ast.parse(generated_source())
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    assert list(classes) == ["DemoServiceStub", "DemoServiceAsyncStub", "EmptyStub",
                             "EmptyAsyncStub"]
    methods = [n.name for n in classes["DemoServiceStub"].body if isinstance(n, ast.FunctionDef)]
    assert methods == ["import_", "watch", "upload", "chat"]
    # Coroutines where the call is awaited whole; streams start at once and are used with async for.
    kinds = [(n.name, type(n).__name__) for n in classes["DemoServiceAsyncStub"].body
             if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    assert kinds == [("import_", "AsyncFunctionDef"), ("watch", "FunctionDef"),
                     ("upload", "AsyncFunctionDef"), ("chat", "FunctionDef")]


def test_modules_sharing_a_name_are_imported_under_their_full_path():
    source = generated_source()
    assert "from demo.v1 import types_pb2 as demo_v1_types_pb2" in source
    assert "from other.v1 import types_pb2 as other_v1_types_pb2" in source
    assert '"/demo.v1.DemoService/Import", CallKind.UNARY,\n' \
           "    demo_v1_types_pb2.Req, other_v1_types_pb2.Outer.Inner)" in source


def test_each_call_kind_has_its_signature():
    source = generated_source()
    assert ") -> other_v1_types_pb2.Outer.Inner:\n" in source  # unary and client streaming
    assert ") -> ResponseStream[other_v1_types_pb2.Outer.Inner]:" in source
    assert "requests: Iterable[demo_v1_types_pb2.Req | Mapping[str, Any]]," in source
    assert ") -> BidiStream[demo_v1_types_pb2.Req, other_v1_types_pb2.Outer.Inner]:" in source
    assert "CallKind.SERVER_STREAMING" in source and "CallKind.BIDI_STREAMING" in source
    assert ") -> AsyncResponseStream[other_v1_types_pb2.Outer.Inner]:" in source
    assert "requests: AsyncRequests[demo_v1_types_pb2.Req]," in source
    assert ") -> AsyncBidiStream[demo_v1_types_pb2.Req, other_v1_types_pb2.Outer.Inner]:" in source
    assert "return await self._unary(_DEMO_SERVICE_IMPORT, request, fields, metadata, timeout)" \
        in source


def test_comments_become_docstrings_safely():
    tree = ast.parse(generated_source())
    demo = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "DemoServiceStub")
    assert ast.get_docstring(demo).startswith('Says """hi""" with a \\ backslash.')
    watch = next(n for n in demo.body if isinstance(n, ast.FunctionDef) and n.name == "watch")
    assert ast.get_docstring(watch).startswith("Streams.\nTwo lines.\n\nServer streaming")


def test_files_without_services_and_files_not_asked_for_get_nothing():
    types = types_file("demo/v1/types.proto", "demo.v1")
    assert list(generate(request_for(types)).file) == []


def test_output_is_deterministic():
    assert generated_source() == generated_source()


def test_methods_that_collide_in_snake_case_are_an_error():
    proto = descriptor_pb2.FileDescriptorProto(name="x.proto", package="x",
                                               message_type=[{"name": "M"}])
    service = proto.service.add(name="S")
    service.method.add(name="GetURL", input_type=".x.M", output_type=".x.M")
    service.method.add(name="GetUrl", input_type=".x.M", output_type=".x.M")
    assert "two methods named 'get_url'" in generate(request_for(proto)).error


def test_an_unknown_message_type_is_an_error():
    proto = descriptor_pb2.FileDescriptorProto(name="x.proto", package="x")
    proto.service.add(name="S").method.add(name="Get", input_type=".x.Missing",
                                           output_type=".x.Missing")
    assert "no message definition for .x.Missing" in generate(request_for(proto)).error


def test_the_executable_speaks_the_plugin_protocol():
    request = request_for(types_file("demo/v1/types.proto", "demo.v1"),
                          types_file("other/v1/types.proto", "other.v1"), service_file())
    result = subprocess.run([sys.executable, str(PLUGIN)], input=request.SerializeToString(),
                            capture_output=True, check=True, timeout=30)
    response = plugin_pb2.CodeGeneratorResponse.FromString(result.stdout)
    assert [f.name for f in response.file] == ["demo/v1/api_framedrpc.py"]
    assert response.file[0].content == generated_source()
