"""Datetimes read from PostgreSQL at C speed.

Django reads every timestamptz through its own loader (a Python subclass of psycopg's pure-Python one,
which parses the text field by field, ~5 µs a value), so the C loader of psycopg[binary] never runs. The
poller reads hundreds of thousands of them a cycle (states, claims, availability). This loader keeps
Django's contract (the value in the connection's time zone, `timezone` for Django's per-cursor check)
and parses with `datetime.fromisoformat` (C); a text it does not take goes to psycopg's own parser.
"""

from datetime import datetime
from functools import cache

from django.db.backends.signals import connection_created
from psycopg.types.datetime import TimestamptzLoader


@cache
def _fast_loader(zone):
    class FastTzLoader(TimestamptzLoader):
        timezone = zone  # what Django's create_cursor compares with the connection's time zone

        def load(self, data) -> datetime:
            try:
                value = datetime.fromisoformat(str(data, "ascii"))
            except ValueError:
                value = super().load(data)
            # In a UTC session the parse already holds the zone itself (replace would cost 5 times the parse).
            return value if value.tzinfo is self.timezone else value.replace(tzinfo=self.timezone)

    return FastTzLoader


def use_fast_datetimes(sender, connection, **kwargs) -> None:
    """On each new PostgreSQL connection: its timestamptz loader, for the time zone Django set on it."""
    if connection.vendor == "postgresql":
        connection.connection.adapters.register_loader("timestamptz", _fast_loader(connection.timezone))


def watch_connections() -> None:
    connection_created.connect(use_fast_datetimes, dispatch_uid="simpul.postgres.fast_datetimes")
