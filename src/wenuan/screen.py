"""Selective editing across a batch: figures implausible against the other units' returns."""

from wenuan.findings import FileReport


def screen(reports: list[FileReport], forms, previous: list[FileReport] | None = None) -> None:
    """Add an `outlier` warning to each report whose figure is far from the others'."""
