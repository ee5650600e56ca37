"""Names in Spanish alphabetical order, ignoring accents and case: Cáqueza before Cucunubá.

A plain ORDER BY compares code points, so "Cá…" sorts after "Cu…" (and on PostgreSQL it depends
on the database's locale). `Spanish("field")` orders with ICU's root collation on PostgreSQL and
with the `es_ai` collation this module registers on every SQLite connection (the same
accent-free, case-free key the importers use to compare names).
"""

from django.db.backends.signals import connection_created
from django.db.models.functions import Collate

from apps.core.text import normalize

SQLITE_COLLATION = "es_ai"


class Spanish(Collate):
    def __init__(self, expression):
        super().__init__(expression, SQLITE_COLLATION)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, collation=connection.ops.quote_name("und-x-icu"), **extra_context)


def _compare(a: str, b: str) -> int:
    key_a, key_b = (normalize(a), a), (normalize(b), b)
    return (key_a > key_b) - (key_a < key_b)


def register_sqlite_collation(sender=None, connection=None, **kwargs) -> None:
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


def install() -> None:
    """Register for every new SQLite connection, and for any already open."""
    from django.db import connections

    connection_created.connect(register_sqlite_collation, dispatch_uid="core.collation")
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            register_sqlite_collation(connection=conn)
