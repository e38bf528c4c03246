"""framedrpc/describe.py on hand-made FileDescriptorProtos: grpcurl's proto-like text for each
kind of symbol, with maps, oneofs, proto3 optional, nested enums and the source comments."""

from __future__ import annotations

from google.protobuf import text_format
from google.protobuf.descriptor_pb2 import FileDescriptorProto

from framedrpc.describe import describe

SHOP = text_format.Parse("""
    name: "shop/v1/shop.proto" package: "shop.v1" syntax: "proto3"
    message_type {
      name: "Order"
      field { name: "id" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
      field { name: "tags" number: 2 label: LABEL_REPEATED type: TYPE_MESSAGE
              type_name: ".shop.v1.Order.TagsEntry" }
      field { name: "note" number: 3 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 1
              proto3_optional: true }
      field { name: "card" number: 4 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
      field { name: "cash" number: 5 label: LABEL_OPTIONAL type: TYPE_BOOL oneof_index: 0 }
      field { name: "lines" number: 6 label: LABEL_REPEATED type: TYPE_MESSAGE
              type_name: ".shop.v1.Line" }
      field { name: "state" number: 7 label: LABEL_OPTIONAL type: TYPE_ENUM
              type_name: ".shop.v1.Order.State" }
      nested_type {
        name: "TagsEntry" options { map_entry: true }
        field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
        field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_INT32 }
      }
      enum_type { name: "State" value { name: "STATE_UNSPECIFIED" number: 0 }
                                value { name: "STATE_PAID" number: 1 } }
      oneof_decl { name: "payment" }
      oneof_decl { name: "_note" }
    }
    message_type { name: "Line" field { name: "sku" number: 1 label: LABEL_OPTIONAL
                                        type: TYPE_STRING } }
    service {
      name: "Shop"
      method { name: "Place" input_type: ".shop.v1.Order" output_type: ".shop.v1.Order" }
      method { name: "Watch" input_type: ".shop.v1.Order" output_type: ".shop.v1.Order"
               server_streaming: true }
      method { name: "Haggle" input_type: ".shop.v1.Line" output_type: ".shop.v1.Line"
               client_streaming: true server_streaming: true }
    }
    source_code_info {
      location { path: [4, 0] leading_comments: " An order.\\n" }
      location { path: [4, 0, 2, 1] leading_comments: " Tags by name.\\n Any number.\\n" }
      location { path: [4, 0, 4, 0, 2, 1] leading_comments: " Paid in full.\\n" }
      location { path: [4, 0, 2, 0] trailing_comments: " as printed on the receipt\\n" }
      location { path: [4, 0, 2, 6] trailing_comments: " one line\\n two lines: not shown\\n" }
      location { path: [6, 0] leading_comments: " Where orders go.\\n" }
      location { path: [6, 0, 2, 1] leading_comments: " Every change to an order.\\n" }
    }
""", FileDescriptorProto())

LEGACY = text_format.Parse("""
    name: "legacy.proto" package: "old" syntax: "proto2"
    message_type { name: "Thing"
      field { name: "id" number: 1 label: LABEL_REQUIRED type: TYPE_INT64 }
      field { name: "name" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING } }
""", FileDescriptorProto())


def test_a_message_with_a_map_a_oneof_an_optional_and_a_nested_enum():
    assert describe([SHOP], "shop.v1.Order") == """\
shop.v1.Order is a message:
// An order.
message Order {
  string id = 1; // as printed on the receipt
  // Tags by name.
  // Any number.
  map<string, int32> tags = 2;
  optional string note = 3;
  oneof payment {
    string card = 4;
    bool cash = 5;
  }
  repeated .shop.v1.Line lines = 6;
  .shop.v1.Order.State state = 7;
  enum State {
    STATE_UNSPECIFIED = 0;
    // Paid in full.
    STATE_PAID = 1;
  }
}"""


def test_a_service_marks_streams_as_grpcurl_does():
    assert describe([SHOP], "shop.v1.Shop") == """\
shop.v1.Shop is a service:
// Where orders go.
service Shop {
  rpc Place ( .shop.v1.Order ) returns ( .shop.v1.Order );
  // Every change to an order.
  rpc Watch ( .shop.v1.Order ) returns ( stream .shop.v1.Order );
  rpc Haggle ( stream .shop.v1.Line ) returns ( stream .shop.v1.Line );
}"""


def test_a_method_a_field_and_a_nested_enum_on_their_own():
    assert describe([SHOP], ".shop.v1.Shop.Watch") == (
        "shop.v1.Shop.Watch is a method:\n// Every change to an order.\n"
        "rpc Watch ( .shop.v1.Order ) returns ( stream .shop.v1.Order );")
    assert describe([SHOP], "shop.v1.Order.tags") == (
        "shop.v1.Order.tags is a field:\n// Tags by name.\n// Any number.\n"
        "map<string, int32> tags = 2;")
    assert describe([SHOP], "shop.v1.Order.State").startswith(
        "shop.v1.Order.State is an enum:\nenum State {\n")


def test_the_symbol_is_looked_for_in_every_file_given():
    assert describe([LEGACY, SHOP], "shop.v1.Line") == (
        "shop.v1.Line is a message:\nmessage Line {\n  string sku = 1;\n}")


def test_proto2_labels():
    assert describe([LEGACY], "old.Thing") == (
        "old.Thing is a message:\nmessage Thing {\n  required int64 id = 1;\n"
        "  optional string name = 2;\n}")


def test_an_unknown_symbol_is_none():
    assert describe([SHOP], "shop.v1.Nothing") is None
    assert describe([SHOP], "other.Order") is None
    assert describe([SHOP], "shop.v1.Order.STATE_PAID") is None  # enum values are not shown
