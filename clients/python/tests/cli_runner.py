"""Runs the `framedrpc` CLI as a subprocess (`python -m framedrpc`), so that argument parsing,
output streams and exit statuses are what a shell sees."""

from __future__ import annotations

import os
import subprocess
import sys

from repo_paths import REPO

CLI_TIMEOUT = 60.0
"""Seconds a CLI run may take before the test fails: a hang fails, never blocks the suite."""

MODULE_PATH = os.pathsep.join(str(REPO / path) for path in ("clients/python", "Generated/python"))
"""The work tree's client and generated modules, ahead of any installed copy."""


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`python -m framedrpc ARGS` with `stdin` as its input (None: empty); stdout and stderr
    as text."""
    environment = {**os.environ, "PYTHONPATH": MODULE_PATH}
    return subprocess.run([sys.executable, "-m", "framedrpc", *args], input=stdin or "",
                          capture_output=True, text=True, env=environment, timeout=CLI_TIMEOUT)
