"""Multi-row INSERT … ON CONFLICT and UPDATE … FROM, written once for SQLite and PostgreSQL, for
the few hot paths that write thousands of rows a second (a pull worker's posts, its accounts'
schedules and figures).

The ORM's bulk_create and bulk_update say the same, but compile an expression per value (a
CASE … WHEN per row and field for bulk_update), and the driver then splits and quotes a query of
tens of thousands of placeholders (or UNNEST arrays) in Python: at 20,000 posts a batch that was
most of a worker's time. Here the rows travel as ONE parameter, a JSON array of arrays that the
database turns back into a table (jsonb_array_elements on PostgreSQL, json_each on SQLite):
json.dumps is C, the statement text is short and the same for every batch. On PostgreSQL the
array is read as jsonb, parsed once: `->> i` on a json value re-reads the row's text for every
column, which made reading the rows four times slower than inserting them.

Both databases then take the same SQL around that table: INSERT … SELECT … ON CONFLICT … DO UPDATE
SET col = excluded.col (SQLite ≥ 3.24), UPDATE … FROM (…) AS v (SQLite ≥ 3.33).
"""

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime

from django.db import connection

JSON_TYPES = ("json", "jsonb")
_UNSET = object()


def _field(model, name: str):
    field = model._meta.get_field(name)
    return field.target_field if field.is_relation else field


def _encoder(field) -> Callable:
    """A column value → its JSON form, as each database reads it back."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        if connection.vendor == "sqlite":  # the text Django stores (UTC, no offset)
            return lambda v: None if v is None else connection.ops.adapt_datetimefield_value(v)
        return lambda v: None if v is None else v.isoformat()
    if kind == "DateField":
        return lambda v: None if v is None else v.isoformat()
    return _same  # text, numbers, booleans, and a JSONField's value as the JSON it is


def _same(value):
    return value


def _column_type(field) -> str:
    kind = field.get_internal_type()
    if kind in ("AutoField", "BigAutoField"):
        return "bigint" if kind == "BigAutoField" else "integer"
    return field.db_type(connection).split("(")[0]


def rows_table(model, columns: dict[str, str], rows: Sequence[Sequence]) -> tuple[str, list]:
    """A SELECT of `rows` (tuples) as a table whose columns are the keys of `columns`, each
    typed like the model field it maps to; (sql, params), for a FROM or WITH clause."""
    fields = [_field(model, name) for name in columns.values()]
    names = list(columns)
    payload = json.dumps(_encoded(fields, rows), ensure_ascii=False, default=_json_default)
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        picks = ", ".join(
            f"CAST(r.value {'->' if _column_type(f) in JSON_TYPES else '->>'} {i} "
            f"AS {_column_type(f)}) AS {qn(n)}"
            for i, (n, f) in enumerate(zip(names, fields, strict=True))
        )
        return f"SELECT {picks} FROM jsonb_array_elements(%s::jsonb) AS r (value)", [payload]
    # ->> gives SQL values (a JSON object or array as its text, as a JSONField stores it).
    picks = ", ".join(f"(r.value ->> {i}) AS {qn(n)}" for i, n in enumerate(names))
    return f"SELECT {picks} FROM json_each(%s) AS r", [payload]


def _encoded(fields, rows: Sequence[Sequence]) -> Sequence[Sequence]:
    """The rows with the values of the columns that need it (dates) in their JSON form; the
    other values are left to json.dumps as they are (a call per value was a worker's hot spot)."""
    encoders = [(i, _encoder(field)) for i, field in enumerate(fields)]
    encoders = [(i, encode) for i, encode in encoders if encode is not _same]
    width = len(fields)
    # A column often holds one object in every row (a group's `now`): encoded once.
    last: list[tuple] = [(_UNSET, None)] * width
    out = []
    for row in rows:
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} values for {width} columns")
        if encoders:
            row = list(row)
            for i, encode in encoders:
                value = row[i]
                seen, encoded = last[i]
                if value is not seen:  # dates and datetimes are immutable
                    encoded = encode(value)
                    last[i] = (value, encoded)
                row[i] = encoded
        out.append(row)
    return out


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def insert(
    model, names: Sequence[str], rows: Sequence[Sequence], *, batch: int = 5000, conflict: str = ""
) -> None:
    """INSERT rows (tuples in the order of the model fields `names`): bulk_create for rows
    whose primary keys are not needed back; `conflict` an ON CONFLICT clause (upsert's)."""
    qn = connection.ops.quote_name
    column = {name: model._meta.get_field(name).column for name in names}
    columns = ", ".join(qn(column[name]) for name in names)
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            source, params = rows_table(
                model, {column[n]: n for n in names}, rows[start : start + batch]
            )
            # WHERE true: SQLite reads ON CONFLICT after a bare SELECT as a join's ON.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM ({source}) AS v WHERE true"
                f"{conflict}",
                params,
            )


def upsert(
    model,
    names: Sequence[str],
    rows: Sequence[Sequence],
    *,
    unique: Sequence[str],
    update: Sequence[str],
    batch: int = 5000,
) -> None:
    """INSERT rows (tuples in the order of the model fields `names`); a row whose `unique` fields
    match a stored row updates that row's `update` fields instead (what
    bulk_create(update_conflicts=True) does)."""
    qn = connection.ops.quote_name
    column = {name: model._meta.get_field(name).column for name in [*unique, *update]}
    conflict = ", ".join(qn(column[name]) for name in unique)
    sets = ", ".join(f"{qn(column[n])} = excluded.{qn(column[n])}" for n in update)
    insert(
        model, names, rows, batch=batch, conflict=f" ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
    )


def update_from_rows(
    model,
    columns: dict[str, str],
    rows: Sequence[Sequence],
    *,
    key: str,
    assignments: dict[str, str],
    where: str = "",
    where_params: Sequence = (),
    batch: int = 5000,
) -> int:
    """UPDATE the rows of `model` whose `key` field equals the first value of a row of `rows`.

    `columns` names the values of each row (v.<name> in the SQL of `assignments`, column →
    expression) and the model field whose type each takes; the target's own columns are named
    bare (v's names must then differ from them). `where` adds a condition on the target (with
    `where_params`). Returns the rows updated."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    key_column = qn(model._meta.get_field(key).column)
    sets = ", ".join(f"{qn(column)} = {sql}" for column, sql in assignments.items())
    first = qn(next(iter(columns)))
    condition = f"{table}.{key_column} = v.{first}" + (f" AND ({where})" if where else "")
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            source, params = rows_table(model, columns, rows[start : start + batch])
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM ({source}) AS v WHERE {condition}",
                params + list(where_params),
            )
            updated += cursor.rowcount
    return updated
