"""CSV downloads: one writer for every export of the portal, safe to open in a spreadsheet.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as
a formula by Excel, LibreOffice or Google Sheets: a candidate named ``=HYPERLINK(…)`` or a bloc
titled ``+cmd|…`` would run in the certifier's or the juror's spreadsheet (CSV injection). As
OWASP recommends, such a cell gets a leading apostrophe, which spreadsheets show as text;
``csv`` quotes any cell holding the separator, a quote or a line break, so a value cannot spill
into the next cell either. Every cell goes through ``safe_cell``, header rows included:
``csv_response`` hands out a writer that does it, so an export cannot forget one
(``tests/security/test_csv_exports.py`` checks that no module writes CSV another way).

Format shared by every export: ``;`` separator (what French spreadsheets expect), UTF-8 with a
byte order mark (so that they read the accents right), attachment.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """``value`` as text, with a leading apostrophe when a spreadsheet would run it — also
    after leading spaces, which some spreadsheets trim on import."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) or text.lstrip(" ").startswith(FORMULA_START):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, stream) -> None:
        self._writer = csv.writer(stream, delimiter=";")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """An attachment response named ``filename`` and the writer that fills it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, SafeWriter(response)
