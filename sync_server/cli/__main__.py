"""``python -m sync_server.cli``: the same as ``sotay-server``."""

from __future__ import annotations

import sys

from sync_server.cli import main

sys.exit(main())
