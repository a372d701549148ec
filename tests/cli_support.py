"""What the command-line tests share, for both ``sotay`` and ``sotay-server`` (imports nothing of
either, so the server's own venv can use it)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator


def help_gaps(parser: argparse.ArgumentParser, where: str) -> Iterator[str]:
    """Every command, option or argument of ``parser`` (and its sub-commands) left without
    words in the help."""
    if not parser.description:
        yield f"{where}: no description"
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if not choice.help:
                    yield f"{where} {choice.dest}: no help in the list of commands"
            for name, sub in action.choices.items():
                yield from help_gaps(sub, f"{where} {name}")
        elif not action.help:
            yield f"{where}: {action.option_strings or action.dest}"


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
             ) -> Iterator[tuple[str, ...]]:
    """Every command and sub-command of ``parser``, as the words typed after the program."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name)
                yield from commands(sub, (*path, name))
