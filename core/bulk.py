"""Bulk loading of generated rows: ids reserved up front, rows written by COPY on PostgreSQL
(``executemany`` elsewhere). Used by the large demo data set (``seed_demo --candidates``).

Why not ``bulk_create``: the generator builds millions of rows whose foreign keys point at rows
built a moment before; reserving ids first lets it build plain tuples (no model instance, no
``RETURNING``), and COPY loads them several times faster than multi-row INSERTs. The rows skip
``save()``, signals and field validation: callers give complete, valid values.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
from typing import Any

from django.db import connection, models
from django.utils import timezone

NULL = r"\N"
# Ids are reserved by blocks: one round trip per block, gaps are harmless.
ID_BLOCK = 20_000


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class Table:
    """Rows for one model's table: ``new_id()`` then ``add(id=…, field=value, …)``, ``flush()``.

    Values are keyed by attname (``dossier_id``); missing fields take the field's default
    (auto_now/auto_now_add fields take ``now``); a field without default must be given.
    """

    def __init__(self, model: type[models.Model], now: dt.datetime | None = None):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.now = now or timezone.now()
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = self.now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif f.empty_strings_allowed:
                self.defaults[f.attname] = ""
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.default_row: list[Any] = [self.defaults.get(f.attname) for f in self.fields]
        self.required = [f.attname for f in self.fields if f.attname not in self.defaults and not f.primary_key]
        self.pk_index = self.index[model._meta.pk.attname]
        self.rows: list[list[Any]] = []
        self._next = 0
        self._end = 0  # the reserved block is [_next, _end)
        self.count = 0

    def new_id(self) -> int:
        if self._next >= self._end:
            self._reserve(ID_BLOCK)
        value = self._next
        self._next += 1
        return value

    def _reserve(self, size: int) -> None:
        pk = self.model._meta.pk.column
        with connection.cursor() as cursor:
            if _is_postgresql():
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [self.table, pk])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                start = cursor.fetchone()[0]
                cursor.execute("SELECT setval(%s, %s)", [sequence, start + size - 1])
            else:
                cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) + 1 FROM "{self.table}"')  # noqa: S608
                start = max(cursor.fetchone()[0], self._end)
        self._next, self._end = start, start + size

    def add(self, **values: Any) -> int:
        row = self.default_row.copy()
        index = self.index
        for key, value in values.items():
            row[index[key]] = value
        if "id" not in values:
            row[self.pk_index] = self.new_id()
        for name in self.required:
            if name not in values:
                raise ValueError(f"{self.table}: no value for {name}")
        self.rows.append(row)
        self.count += 1
        return int(row[self.pk_index])

    def flush(self) -> None:
        self.take().write()

    def take(self) -> Rows:
        """The rows added so far, to write now or from another thread (``Rows.write``)."""
        rows, self.rows = self.rows, []
        return Rows(self, rows)


class Rows:
    def __init__(self, table: Table, rows: list[list[Any]]):
        self.table, self.rows = table, rows
        self.columns = table.columns
        self.fields = table.fields

    def write(self) -> None:
        if not self.rows:
            return
        if _is_postgresql():
            self._copy()
        else:
            self._insert()
        self.rows = []

    def _copy(self) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        # csv writes booleans, dates and datetimes as PostgreSQL reads them (True, 2026-12-07,
        # 2026-12-07 09:00:00+00:00); only NULL and JSON need a hand.
        json_columns = [i for i, f in enumerate(self.fields) if f.get_internal_type() == "JSONField"]
        if json_columns:
            for row in self.rows:
                for i in json_columns:
                    if row[i] is not None and not isinstance(row[i], str):
                        row[i] = json.dumps(row[i], ensure_ascii=False)
        writer.writerows([NULL if v is None else v for v in row] for row in self.rows)
        buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        sql = f"COPY \"{self.table.table}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer)

    def _insert(self) -> None:
        columns = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        sql = f'INSERT INTO "{self.table.table}" ({columns}) VALUES ({marks})'  # noqa: S608
        ops = connection.ops
        rows = [[_sqlite_value(ops, v) for v in row] for row in self.rows]
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])


class TableGroup:
    """The tables a batch of generated rows fills, written together: ``tables()``, parents first."""

    def tables(self) -> list[Table]:
        raise NotImplementedError

    def take(self) -> list[Rows]:
        """The rows built so far, parents first (to write now or from a writer thread)."""
        return [table.take() for table in self.tables()]


class RawJSON(str):
    """A JSON document already serialised (to hash it and load it without a second encoding)."""


def _sqlite_value(ops, value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value
