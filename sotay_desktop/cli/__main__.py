"""``python -m sotay_desktop.cli``: the command line."""

from __future__ import annotations

import sys

from sotay_desktop.cli import main

sys.exit(main())
