"""A page's rows as CSV: what a spreadsheet opens."""
from __future__ import annotations

import csv
import io


def csv_text(rows: list[dict], columns: tuple[str, ...] | None = None) -> str:
    """The rows under a header of ``columns`` (else the first row's keys); a missing value is empty."""
    columns = columns or (tuple(rows[0]) if rows else ())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: "" if row.get(key) is None else row[key] for key in columns} for row in rows)
    return out.getvalue()
