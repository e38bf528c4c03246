"""`python3 -m framedrpc`: the `framedrpc` CLI (framedrpc/cli.py)."""

import sys

from .cli import main

sys.exit(main())
