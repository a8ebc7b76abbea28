"""The packed form of one metric of one asset over one hour (a `MetricBlock`'s `data`), with no Django inside.

Each value is 8 bytes, big-endian, back to back: microseconds into the hour (uint32), the value (float32).
Big-endian because PostgreSQL's int8send/float4send write that order: the upkeep packs a whole hour in one SQL
statement (`sql_record`) and Python reads it back the same way. float32 keeps ~7 significant digits, ample for
a rate or a gauge; NaN and infinities are kept, a value beyond float32's range becomes an infinity and one
below its smallest becomes zero (PostgreSQL would refuse the cast), the same in Python and in SQL.
"""

import math
import struct
from datetime import datetime, timedelta

_RECORD = struct.Struct(">If")
_FLOAT32_MAX = 3.4028234663852886e38
_FLOAT32_TINY = 1.401298464324817e-45  # the smallest subnormal


def to_float32(value: float) -> float:
    if math.isnan(value) or abs(value) > _FLOAT32_MAX:
        return value if math.isnan(value) else math.copysign(math.inf, value)
    return 0.0 if abs(value) < _FLOAT32_TINY else struct.unpack(">f", struct.pack(">f", value))[0]


def pack(hour: datetime, values: list[tuple[datetime, float]]) -> bytes:
    return b"".join(_RECORD.pack((at - hour) // timedelta(microseconds=1), to_float32(value)) for at, value in values)


def unpack(hour: datetime, data: bytes) -> list[tuple[datetime, float]]:
    return [(hour + timedelta(microseconds=micros), value) for micros, value in _RECORD.iter_unpack(data)]


def sql_record(hour: str) -> str:
    """One staging row as `pack` writes it, in PostgreSQL; `hour` is the SQL of the block's hour. Aggregated with
    string_agg(... ORDER BY at) it makes a whole block in the database, without a row through Python."""
    return f"""
    substring(int8send((extract(epoch FROM at - {hour}) * 1000000)::bigint) FROM 5)
    || float4send(CASE WHEN value = 'NaN' THEN value
                       WHEN abs(value) > {_FLOAT32_MAX!r} THEN sign(value) * 'Infinity'::float8
                       WHEN abs(value) < {_FLOAT32_TINY!r} THEN 0 ELSE value END::real)
"""
