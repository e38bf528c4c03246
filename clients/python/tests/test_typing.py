"""The SDK type-checks under `mypy --strict` as it installs: framedrpc (threaded and asyncio),
cardex, and every generated module (the *_pb2.pyi stubs of mypy-protobuf and the typed service
stubs *_framedrpc.py); so does examples/share_card.py; and the types are real, not Any: a
program that misuses a response or forgets an `await` is reported.

mypy runs on a copy of clients/python's packages merged into Generated/python, the layout the
wheel installs, so nothing installed elsewhere is checked instead. tests/test_wheel.py checks the
example again against the installed wheel. mypy and types-protobuf are pinned in
requirements-typing.txt."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from repo_paths import REPO

CLIENT = REPO / "clients" / "python"
EXAMPLE = CLIENT / "examples" / "share_card.py"
MYPY_TIMEOUT = 300.0  # seconds for one mypy run (the first one fills the cache)
_CACHES = shutil.ignore_patterns("__pycache__")

MISUSE = """
from cardex import AsyncCardexClient, CardexClient


def version(client: CardexClient) -> None:
    print(client.card.get_my_card().card_version)


async def name(client: AsyncCardexClient) -> int:
    client.card.get_my_card()
    response = await client.card.get_my_card()
    return response.card.fields[0].value
"""


def mypy(tree: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("mypy") is None:
        pytest.fail("mypy is not installed: pip install -r clients/python/requirements-test.txt")
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tree / ".mypy_cache"),
         *arguments], cwd=tree, env=environment, capture_output=True, text=True,
        timeout=MYPY_TIMEOUT)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """Generated/python with framedrpc/ and cardex/ merged in, and the example beside them."""
    tree = tmp_path_factory.mktemp("typed")
    shutil.copytree(REPO / "Generated" / "python", tree, ignore=_CACHES, dirs_exist_ok=True)
    for package in ("framedrpc", "cardex"):
        shutil.copytree(CLIENT / package, tree / package, ignore=_CACHES, dirs_exist_ok=True)
    shutil.copy(EXAMPLE, tree)
    return tree


def test_every_package_and_generated_module_passes_mypy_strict(tree):
    assert (tree / "cardex" / "v1" / "card_pb2.pyi").is_file()
    result = mypy(tree, "-p", "framedrpc", "-p", "cardex")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_example_passes_mypy_strict(tree):
    result = mypy(tree, EXAMPLE.name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_misuse_of_the_typed_stubs_is_reported(tree):
    (tree / "misuse.py").write_text(MISUSE)
    result = mypy(tree, "misuse.py")
    assert result.returncode == 1, result.stdout + result.stderr
    errors = sorted(line.split(": error: ")[1] for line in result.stdout.splitlines()
                    if ": error: " in line)
    assert errors == [
        '"GetMyCardResponse" has no attribute "card_version"  [attr-defined]',
        'Incompatible return value type (got "str", expected "int")  [return-value]',
        'Value of type "Coroutine[Any, Any, GetMyCardResponse]" must be used  [unused-coroutine]',
    ], result.stdout
