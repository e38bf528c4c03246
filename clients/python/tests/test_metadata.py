"""Metadata rules (PROTOCOL.md §6) and their wire form."""

import pytest

from framedrpc.metadata import Metadata
from framedrpc.wire import metadata_from_wire, metadata_to_wire, wire_pb2


def test_order_and_repeated_keys_are_kept():
    metadata = Metadata([("b", "1"), ("a", "2"), ("b", "3")])
    assert list(metadata) == [("b", "1"), ("a", "2"), ("b", "3")]
    assert metadata.get("b") == "1"
    assert metadata.get_all("b") == ["1", "3"]
    assert metadata.get("missing", "default") == "default"


def test_mapping_input():
    assert list(Metadata({"x-a": "1", "x-b-bin": b"\x00"})) == [("x-a", "1"), ("x-b-bin", b"\x00")]


@pytest.mark.parametrize("key", ["", "Upper", "sp ace", "ü", "k" * 256, "colon:"])
def test_invalid_keys(key):
    with pytest.raises(ValueError, match="invalid metadata key"):
        Metadata([(key, "v")])


def test_longest_key_and_every_allowed_character():
    Metadata([("k" * 255, "v"), ("az09-_.", "v")])


def test_reserved_prefix():
    with pytest.raises(ValueError, match="reserved"):
        Metadata([("framedrpc-timeout", "1")])


def test_binary_keys_take_bytes_and_text_keys_take_str():
    with pytest.raises(ValueError, match="must be bytes"):
        Metadata([("x-bin", "text")])
    with pytest.raises(ValueError, match="takes a str value"):
        Metadata([("x", b"bytes")])


def test_wire_round_trip():
    metadata = Metadata([("x-text", "☺ value"), ("x-data-bin", b"\xab\xab\xab")])
    entries = metadata_to_wire(metadata)
    assert entries[0].WhichOneof("value") == "text"
    assert entries[1].WhichOneof("value") == "binary"
    assert metadata_from_wire(entries) == metadata


def test_received_metadata_is_not_policed():
    entries = [wire_pb2.MetadataEntry(key="Odd-Key", text="kept")]
    assert list(metadata_from_wire(entries)) == [("Odd-Key", "kept")]
