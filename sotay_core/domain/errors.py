"""Errors that carry a message code and the field they concern.

The message text lives in ``sotay_core.i18n``; the error only names the code
and its parameters, so the same error reads in Vietnamese or English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sotay_core import i18n


class DomainError(Exception):
    """A rule was broken. ``field`` names the input field, if any."""

    def __init__(self, code: str, *, field: str | None = None, **params: Any) -> None:
        self.code = code
        self.field = field
        self.params: Mapping[str, Any] = params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        text = i18n.t(self.code, lang=lang, **self.params)
        if self.field:
            return f"{i18n.field_label(self.field, lang=lang)}: {text}"
        return text


class ValidationError(DomainError):
    """Bad input for one field; the form shows it beside that field."""


class LifecycleError(DomainError):
    """An event that cannot happen in this member's history."""


class NotFoundError(DomainError):
    """The record asked for does not exist (or was deleted)."""
