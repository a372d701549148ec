"""Entry point of the frozen app: the same program is the window (SoTay) and the command
line: `SoTay --cli …` (the Linux `sotay-cli` wrapper does this) or, on Windows, the
separate console executable `sotay-cli.exe`. `SoTay --smoke SCRIPT …` runs a Python file
inside the bundle (installers/smoke_test.sh: installers/smoke_gui.py)."""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    name = Path(sys.executable).stem.lower()
    if len(sys.argv) > 2 and sys.argv[1] == "--smoke":
        # the bundle's smoke test (installers/smoke_gui.py) run by the bundle's own Python:
        # what it imports must be in the bundle, as for the app
        import runpy

        del sys.argv[:2]
        runpy.run_path(sys.argv[0], run_name="__main__")
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--cli":
        del sys.argv[1]
        name = "sotay-cli"
    if name == "sotay-cli":
        from sotay_desktop.cli import main as cli_main

        return cli_main()
    from sotay_desktop.app import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
