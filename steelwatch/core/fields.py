"""The division code as a column: `startswith` on it (a subtree: "every code under 3204") is a range an ordinary
index answers — `code >= '3204' AND code < '3205'` — where SQL's `LIKE '3204%'` is read row by row (SQLite's LIKE
ignores case, PostgreSQL needs a pattern index for it). Codes are digits (GB/T 2260 and its township and
village extensions); a prefix with any other character falls back to Django's LIKE, so the rows are the same."""

from django.db import models
from django.db.models.lookups import Lookup, StartsWith


def next_prefix(prefix: str) -> str | None:
    """The smallest digit string above every string starting with `prefix` ("3204" → "3205", "3209" → "321",
    "99" → None: no bound)."""
    stem = prefix.rstrip("9")
    return stem[:-1] + chr(ord(stem[-1]) + 1) if stem else None


class CodeStartsWith(StartsWith):
    def as_sql(self, compiler, connection):
        prefix = self.rhs
        if not (
            self.rhs_is_direct_value() and isinstance(prefix, str) and prefix.isascii() and prefix.isdigit()
        ):
            return super().as_sql(compiler, connection)
        # Lookup's own process_lhs, without the text cast PostgreSQL's pattern lookups add (`code::text`),
        # which would keep the planner off the column's index.
        lhs, lhs_params = Lookup.process_lhs(self, compiler, connection)
        upper = next_prefix(prefix)
        if upper is None:
            return f"{lhs} >= %s", (*lhs_params, prefix)
        return f"({lhs} >= %s AND {lhs} < %s)", (*lhs_params, prefix, *lhs_params, upper)


class DivisionCodeField(models.CharField):
    """A CharField whose `startswith` is the index-friendly range above. Migrations see a plain CharField (the
    column is the same), so swapping it in needs none."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


DivisionCodeField.register_lookup(CodeStartsWith)
