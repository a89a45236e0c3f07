"""One error type for everything a user can get wrong.

Every user-facing failure names the file, the field and the fix, so the CLI can
print it without a traceback and exit non-zero.
"""

from __future__ import annotations

from pathlib import Path


class DocgenError(Exception):
    """A problem the user can fix: bad input, bad config, a missing tool."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        field: str | None = None,
        fix: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.field = field
        self.fix = fix

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.field:
                where += f": {self.field}"
            where += ": "
        elif self.field:
            where = f"{self.field}: "
        text = f"{where}{self.message}"
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text


class ConfigError(DocgenError):
    """docgen.toml is missing or wrong."""


class InputError(DocgenError):
    """A data file (YAML, DOCX, XLSX, PDF) given by the user is wrong."""


class ToolMissingError(DocgenError):
    """An external program (LibreOffice) is not installed."""

    exit_code = 3


class NeedsConfirmation(DocgenError):
    """`make` found warnings (back-dating) before taking a number; ``yes=True`` goes on."""

    exit_code = 5

    def __init__(self, message: str, findings: list, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.findings = findings
