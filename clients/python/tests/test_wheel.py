"""The wheel installs like a library: `pip wheel clients/python` holds the transport (threaded and
asyncio), the facades, py.typed, every generated package and the messages' type stubs (*.pyi),
and, installed into a fresh venv, works from a directory outside the checkout: the `framedrpc`
command runs, a Cardex scenario passes against a real `cardex serve` (the binary named by
CARDEX_BIN), and examples/share_card.py passes `mypy --strict` against the installed package
(with mypy and types-protobuf from requirements-typing.txt) and then runs against the server.

The wheel is built from a copy of clients/python and Generated/python (in their places relative
to each other, as pyproject.toml's package-dir needs), so the build leaves nothing in the work
tree. pip needs PyPI, or its cache, for setuptools (the build) and protobuf (the venv, at the
version requirements.txt pins), and for mypy and types-protobuf."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from cardex_server import CardexServer, running_server
from repo_paths import REPO

PIP_TIMEOUT = 300.0      # seconds for a pip build or install (it may download)
RUN_TIMEOUT = 60.0       # seconds for a program run with the installed package
EXAMPLE = REPO / "clients" / "python" / "examples" / "share_card.py"
GENERATED_PACKAGES = ("framedrpc/v1", "framedrpc/health/v1", "framedrpc/reflection/v1",
                      "cardex/v1")
"""The generated packages pyproject.toml takes from Generated/python/."""
_LEFT_OVER = shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests")


def _run(command: list, **options) -> subprocess.CompletedProcess:
    """Runs `command` without PYTHONPATH (the checkout's), failing with its output."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    options.setdefault("timeout", RUN_TIMEOUT)
    result = subprocess.run([str(part) for part in command], env=environment,
                            capture_output=True, text=True, **options)
    assert result.returncode == 0, (f"{' '.join(map(str, command))} exited with "
                                    f"{result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    """A directory with the SDK's wheel and the protobuf wheel it depends on (pinned)."""
    source = tmp_path_factory.mktemp("source")
    shutil.copytree(REPO / "clients" / "python", source / "clients" / "python", ignore=_LEFT_OVER)
    shutil.copytree(REPO / "Generated" / "python", source / "Generated" / "python",
                    ignore=_LEFT_OVER)
    out = tmp_path_factory.mktemp("wheels")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check",
          "-c", REPO / "clients" / "python" / "requirements.txt",
          "-w", out, source / "clients" / "python"], cwd=source, timeout=PIP_TIMEOUT)
    return out


@pytest.fixture(scope="module")
def sdk_wheel(wheels: Path) -> Path:
    [wheel] = wheels.glob("cardex_sdk-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(wheels: Path, tmp_path_factory) -> Path:
    """The bin/ directory of a fresh venv with the wheel installed, from `wheels` only."""
    environment = tmp_path_factory.mktemp("venv")
    venv.create(environment, with_pip=True)
    bin_dir = environment / "bin"
    _run([bin_dir / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
          "--no-index", "--find-links", wheels, "cardex-sdk"], cwd=environment,
         timeout=PIP_TIMEOUT)
    return bin_dir


def test_the_wheel_holds_the_packages_the_generated_modules_their_stubs_and_py_typed(sdk_wheel):
    with zipfile.ZipFile(sdk_wheel) as archive:
        names = set(archive.namelist())
        [metadata] = [name for name in names if name.endswith(".dist-info/METADATA")]
        requirements = [line for line in archive.read(metadata).decode().splitlines()
                        if line.startswith("Requires-Dist:")]
    client = REPO / "clients" / "python"
    expected = {str(path.relative_to(client)) for package in ("framedrpc", "cardex")
                for path in (client / package).rglob("*.py")}
    expected |= {f"{package}/{path.name}" for package in GENERATED_PACKAGES
                 for pattern in ("*.py", "*.pyi")
                 for path in (REPO / "Generated" / "python" / package).glob(pattern)}
    expected |= {"framedrpc/py.typed", "cardex/py.typed"}
    assert "cardex/v1/share_framedrpc.py" in expected and "framedrpc/aio/call.py" in expected
    assert "framedrpc/reflection/v1/reflection_pb2.py" in expected
    assert "cardex/v1/card_pb2.pyi" in expected and "framedrpc/v1/wire_pb2.pyi" in expected
    assert sorted(expected - names) == []
    assert requirements == ["Requires-Dist: protobuf<8,>=3.20"]


def test_the_installed_framedrpc_command_runs_outside_the_checkout(installed, tmp_path):
    result = _run([installed / "framedrpc", "--help"], cwd=tmp_path)
    assert result.stdout.startswith("usage: framedrpc ")
    imported = _run([installed / "python", "-c",
                     "import cardex, framedrpc.v1.wire_pb2, framedrpc.health.v1.health_pb2\n"
                     "print(cardex.__file__)"], cwd=tmp_path)
    assert imported.stdout.startswith(str(installed.parent)), imported.stdout


SCENARIO = """
import json, sys
import cardex
from cardex import CardexClient, RpcError, StatusCode
from cardex.v1 import card_pb2
from framedrpc import Client
from framedrpc.health.v1 import health_framedrpc

host, port, ca_file, phone, code = sys.argv[1:]
out = {"module": cardex.__file__}
with CardexClient(host, int(port), ca_file=ca_file) as client:
    out["created"] = client.sign_in(phone, code, device_name="wheel", timeout=10).created
    client.card.set_card(card={"fields": [
        {"kind": "FIELD_KIND_NAME", "value": "Ada Wheel",
         "audience": {"level": "AUDIENCE_LEVEL_EVERYONE"}}]}, timeout=10)
    card = client.card.get_my_card(timeout=10).card
    out["fields"] = [(card_pb2.FieldKind.Name(f.kind), f.value) for f in card.fields]
    client.token = None
    try:
        client.card.get_my_card(timeout=10)
    except RpcError as error:
        out["without_token"] = error.code.name
with CardexClient(host, int(port), ca_file=ca_file) as other:
    health = health_framedrpc.HealthStub(Client(other.connection))
    out["health"] = health.check({}, timeout=10).status
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> CardexServer:
    yield from running_server(tmp_path_factory, "cardex", reflection=True)


def test_the_installed_sdk_signs_in_and_calls_a_real_server(installed, server, tmp_path):
    phone = "+15550149001"
    # The code is asked for by the work tree's SDK; everything after runs on the installed one.
    with server.client() as client:
        client.registration.request_code(phone=phone, purpose="CODE_PURPOSE_REGISTER",
                                         timeout=10)
    program = tmp_path / "scenario.py"
    program.write_text(SCENARIO)
    result = _run([installed / "python", program, server.host, server.port, server.ca_file,
                   phone, server.code_for(phone)], cwd=tmp_path)
    out = json.loads(result.stdout)
    assert out["module"].startswith(str(installed.parent)), out
    assert out["created"] is True
    assert out["fields"] == [["FIELD_KIND_NAME", "Ada Wheel"]]
    assert out["without_token"] == "UNAUTHENTICATED"
    assert out["health"] == 1  # SERVING

    listed = _run([installed / "framedrpc", "list", f"{server.host}:{server.port}",
                   "--cacert", server.ca_file], cwd=tmp_path)
    assert "cardex.v1.CardService" in listed.stdout.split()


@pytest.fixture(scope="module")
def typed(installed: Path) -> Path:
    """`installed`, with mypy and types-protobuf at the versions requirements-typing.txt pins."""
    _run([installed / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
          "-r", REPO / "clients" / "python" / "requirements-typing.txt"],
         cwd=installed, timeout=PIP_TIMEOUT)
    return installed


def test_the_example_passes_mypy_strict_on_the_installed_wheel_and_runs(typed, server, tmp_path):
    program = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, program)
    checked = subprocess.run([str(typed / "python"), "-m", "mypy", "--strict", program.name],
                             cwd=tmp_path, capture_output=True, text=True, timeout=PIP_TIMEOUT,
                             env={k: v for k, v in os.environ.items()
                                  if k not in ("PYTHONPATH", "MYPYPATH")})
    assert checked.returncode == 0, f"mypy --strict:\n{checked.stdout}{checked.stderr}"
    assert checked.stdout.startswith("Success: no issues found in 1 source file"), checked.stdout

    ada, bob = "+15550149101", "+15550149102"
    result = _run([typed / "python", program, server.host, server.port, server.data_dir,
                   ada, bob], cwd=tmp_path)
    out = json.loads(result.stdout)
    assert out["card_version"] == 1 and out["shares"] and out["received_from"] == out["ada"]
    assert out["accepted"] == ["Ada Lovelace"] and out["updates"][-1] == ["Ada King"]
