"""The installed SDK (`pip install ./clients/python`, which scripts/bootstrap.sh --python runs)
holds the work tree's transport, facade and every generated module, imports on its own, and
installs the `framedrpc` command."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from importlib import metadata

import pytest

from repo_paths import REPO

DISTRIBUTION = "cardex-sdk"
CLIENT = REPO / "clients" / "python"
GENERATED = REPO / "Generated" / "python"


GENERATED_PACKAGES = ("framedrpc/v1", "framedrpc/health/v1", "framedrpc/reflection/v1",
                      "cardex/v1")
"""The generated packages pyproject.toml installs from Generated/python/."""


@pytest.fixture(scope="module")
def distribution() -> metadata.Distribution:
    # Only site-packages: a build leaves cardex_sdk.egg-info in clients/python, on the test path.
    found = list(metadata.distributions(name=DISTRIBUTION, path=site.getsitepackages()))
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{DISTRIBUTION} is not installed in CI: scripts/bootstrap.sh --python "
                        "installs it")
        pytest.skip(f"{DISTRIBUTION} is not installed: pip install ./clients/python")
    [distribution] = found
    return distribution


@pytest.fixture(scope="module")
def installed(distribution) -> dict[str, bytes]:
    """Installed file (relative to site-packages) -> its bytes, for the SDK's packages."""
    return {str(path): path.locate().read_bytes() for path in distribution.files
            if path.suffix in (".py", ".pyi")}


def expected_files() -> dict[str, bytes]:
    sources = {str(path.relative_to(CLIENT)): path for package in ("framedrpc", "cardex")
               for path in (CLIENT / package).rglob("*.py")}
    sources |= {str(path.relative_to(GENERATED)): path for package in GENERATED_PACKAGES
                for pattern in ("*.py", "*.pyi") for path in (GENERATED / package).glob(pattern)}
    return {name: path.read_bytes() for name, path in sources.items()}


def test_the_installed_sdk_is_the_work_tree(installed):
    expected = expected_files()
    assert "cardex/v1/share_framedrpc.py" in expected and "framedrpc/v1/wire_pb2.py" in expected
    assert "framedrpc/reflection/v1/reflection_pb2.py" in expected and "framedrpc/cli.py" in expected
    assert "framedrpc/aio/connection.py" in expected and "cardex/v1/card_pb2.pyi" in expected
    missing = sorted(set(expected) - set(installed))
    assert not missing, f"not installed: {missing}"
    stale = sorted(name for name in expected if installed[name] != expected[name])
    assert not stale, f"installed copies differ from the work tree (reinstall): {stale}"


def test_the_installed_sdk_imports_without_the_repository_on_the_path(installed, tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    program = ("import cardex, framedrpc.v1.wire_pb2\n"
               "from cardex import CardexClient, RpcError, StatusCode\n"
               "from cardex.v1 import share_framedrpc, events_framedrpc, lookup_framedrpc\n"
               "print(cardex.__file__)\n")
    result = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert str(REPO) not in result.stdout, result.stdout


def test_the_framedrpc_command_is_installed_and_runs_without_the_repository(distribution,
                                                                           tmp_path):
    [entry_point] = [e for e in distribution.entry_points if e.group == "console_scripts"]
    assert (entry_point.name, entry_point.value) == ("framedrpc", "framedrpc.cli:main")
    scripts = [path.locate() for path in distribution.files
               if path.name == "framedrpc" and "bin" in path.parts]
    assert scripts and all(script.is_file() for script in scripts), distribution.files
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(scripts[0]), "call", "--help"], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: framedrpc call ")


def test_the_installed_packages_are_marked_typed(distribution):
    typed = sorted(str(path) for path in distribution.files if path.name == "py.typed")
    assert typed == ["cardex/py.typed", "framedrpc/py.typed"]
    assert all(path.locate().is_file() for path in distribution.files if path.name == "py.typed")
