"""The staged parse of a ledger workbook: what the preview read (before any database check), kept as JSON
beside the upload so that the confirm step re-plans without reading the workbook again."""

import datetime
import decimal
import json
from pathlib import Path

from steelwatch.core.sheets import SheetError, SheetRow, SheetTable

from .ledger_excel import LEDGER_SHEETS

Parsed = tuple[dict[str, SheetTable], list[SheetError]]


def _encode(value):
    if isinstance(value, decimal.Decimal):
        return {"$d": str(value)}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "$d" in value:
            return decimal.Decimal(value["$d"])
        if "$date" in value:
            return datetime.date.fromisoformat(value["$date"])
    return value


def parse_save(parsed: Parsed, path: Path) -> None:
    """Keep a parse (before any database check) as JSON next to its upload."""
    tables, errors = parsed
    data = {
        "sheets": {
            name: {
                "letters": table.letters,
                "rows": [
                    [row.number, {k: _encode(v) for k, v in row.values.items()}, row.cells, sorted(row.bad)]
                    for row in table.rows
                ],
            }
            for name, table in tables.items()
        },
        "errors": [error.as_dict() for error in errors],
    }
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def parse_load(path: Path) -> Parsed | None:
    """The staged parse, or None when there is none (the workbook is then read again)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    specs = {spec.name: spec for spec in LEDGER_SHEETS}
    tables = {
        name: SheetTable(
            specs[name],
            sheet["letters"],
            [
                SheetRow(name, number, {k: _decode(v) for k, v in values.items()}, cells, set(bad))
                for number, values, cells, bad in sheet["rows"]
            ],
        )
        for name, sheet in data["sheets"].items()
        if name in specs
    }
    return tables, [SheetError(**error) for error in data["errors"]]
