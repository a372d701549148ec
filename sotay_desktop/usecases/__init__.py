"""The application layer: one typed function per action, called by the window and the CLI.

Each use case takes a ``Workspace`` (an open branch folder) and plain arguments, opens its
own read or write transaction, and returns plain data. Every write returns ``Changes``
(alone, or as the last item of a tuple) naming what it touched; the window's single writer
rebroadcasts them (``ui/tasks.py``, ``operation_did_execute``) and each screen decides
whether to refresh. The audit row of a view, an export or a print is written in one place,
``trace.leave_trace``, after the act succeeded.

Modules are imported by screens at start-up, so they import SQLAlchemy and the services
only inside the functions: the window paints before SQLAlchemy is loaded.
"""
