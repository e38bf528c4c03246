"""Paths into the repository that the tests use."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CERTIFICATES = REPO / "Tests" / "FramedRPCTests" / "Certificates"
"""Test-only CA, server (CN/SAN localhost, 127.0.0.1) and client certificates."""
