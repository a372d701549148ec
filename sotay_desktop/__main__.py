"""``python -m sotay_desktop`` opens the desktop app."""

from sotay_desktop.app import main

raise SystemExit(main())
