"""Statements planned once per database connection.

The pages every caller opens (Today, a call) read a handful of rows through
joins of five or six tables. PostgreSQL spends more time planning such a join
(~1 ms) than running it (~0.2 ms), on every request. A statement run here is
prepared once per connection (`PREPARE name AS ...`) and then executed by name:
the plan is reused for as long as the persistent connection lives. Other
databases (SQLite for `make run`) simply execute the SQL.

SQL uses %s placeholders; a list parameter must be written `= ANY(%s)` on
PostgreSQL and is expanded to `IN (%s, ...)` elsewhere.
"""

import re
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_ANY = re.compile(r"=\s*ANY\(%s\)")


@receiver(connection_created)
def _forget_prepared(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    # An attribute of our own on Django's connection object.
    setattr(connection, "_prepared_statements", set())  # noqa: B010 - a new connection has none


def fetch_all(name: str, sql: str, params: Sequence[Any]) -> list[tuple]:
    """Run a read and return its rows, through a prepared statement on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql, params = _expand_lists(sql, params)
            cursor.execute(sql, params)
            return cursor.fetchall()
        prepared = getattr(connection, "_prepared_statements", None)
        if prepared is None:
            prepared = set()
            setattr(connection, "_prepared_statements", prepared)  # noqa: B010
        if name not in prepared:
            numbered = iter(range(1, len(params) + 1))
            cursor.execute(f"PREPARE {name} AS " + re.sub(r"%s", lambda _m: f"${next(numbered)}", sql))
            prepared.add(name)
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", list(params))
        return cursor.fetchall()


def _expand_lists(sql: str, params: Sequence[Any]) -> tuple[str, list[Any]]:
    """`x = ANY(%s)` with a list becomes `x IN (%s, %s, ...)` for databases without arrays."""
    flat: list[Any] = []
    pieces = re.split(r"(=\s*ANY\(%s\)|%s)", sql)
    out, values = [], iter(params)
    for piece in pieces:
        if _ANY.fullmatch(piece or ""):
            items = list(next(values))
            out.append(f"IN ({', '.join(['%s'] * len(items))})" if items else "IN (NULL)")
            flat.extend(items)
        elif piece == "%s":
            out.append(piece)
            flat.append(next(values))
        else:
            out.append(piece)
    return "".join(out), flat
