"""Inserting many rows fast: one executemany per call, no per-row ORM work (the ledger import's staging).

The caller has checked the rows (nothing here validates or sends signals); `auto_now`/`auto_now_add` stamps are
set once for all; values of plain fields go to the driver as they are, the others through the field's own
`get_db_prep_save`. Primary keys are not read back: the caller finds its rows again by a key it wrote.
"""

from django.db import connection, models
from django.utils import timezone

_NATIVE = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)


def rows_insert(model, objects: list) -> None:
    """INSERT the rows with one executemany (no per-row ORM work); `auto_now` stamps set once for all."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objects:
                setattr(obj, f.attname, now)
    plain = [isinstance(f, _NATIVE) and not isinstance(f, models.JSONField) for f in fields]
    rows = [
        [
            getattr(obj, f.attname) if native else f.get_db_prep_save(getattr(obj, f.attname), connection)
            for f, native in zip(fields, plain, strict=True)
        ]
        for obj in objects
    ]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
