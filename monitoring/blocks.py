"""The packed form of one asset's poll results of one hour (a `SampleBlock`'s `data`), with no Django inside.

Each result is 17 bytes, big-endian, back to back, plus its reason if it has one:
microseconds into the hour (uint32), a byte holding the verdict (bits 3-5), the source (bits 1-2) and whether a
reason follows (bit 0), RTT and RTT max in ms (float32, NaN for none), loss (float32, NaN for none), then, with a
reason, its UTF-8 length (uint16) and bytes. Big-endian because PostgreSQL's int8send/float4send write that
order: the upkeep packs a whole hour in one SQL statement (`SQL_RECORD`) and Python reads it back the same way.
An hour at 60 s is ~1 KB: stored inline, never TOASTed (bench/README.md, "Raw history").
"""

import math
import struct
from datetime import datetime, timedelta
from typing import NamedTuple

VERDICTS = ("up", "degraded", "down", "unreachable", "unknown", "maintenance")  # codes are positions: append only
SOURCES = ("icmp", "snmp", "radio_check")
_FIXED = struct.Struct(">IBfff")
_LENGTH = struct.Struct(">H")
_NAN = float("nan")


class Result(NamedTuple):
    """One poll or roll-call result, as the samples API shows it."""

    at: datetime
    source: str
    verdict: str
    rtt_ms: float | None
    rtt_max_ms: float | None
    loss: float | None
    reason: str


def pack(hour: datetime, results: list[Result]) -> bytes:
    parts = []
    for result in results:
        reason = result.reason.encode()
        flags = VERDICTS.index(result.verdict) << 3 | SOURCES.index(result.source) << 1 | bool(reason)
        micros = (result.at - hour) // timedelta(microseconds=1)
        parts.append(_FIXED.pack(micros, flags, *(_NAN if v is None else v for v in result[3:6])))
        if reason:
            parts.append(_LENGTH.pack(len(reason)) + reason)
    return b"".join(parts)


def unpack(hour: datetime, data: bytes) -> list[Result]:
    results, offset, size = [], 0, _FIXED.size
    while offset < len(data):
        micros, flags, rtt, rtt_max, loss = _FIXED.unpack_from(data, offset)
        offset += size
        reason = ""
        if flags & 1:
            (length,) = _LENGTH.unpack_from(data, offset)
            reason = data[offset + 2 : offset + 2 + length].decode()
            offset += 2 + length
        results.append(
            Result(
                hour + timedelta(microseconds=micros),
                SOURCES[flags >> 1 & 3],
                VERDICTS[flags >> 3],
                *(None if math.isnan(v) else v for v in (rtt, rtt_max, loss)),
                reason,
            )
        )
    return results


def _code(column: str, names: tuple[str, ...]) -> str:
    return "CASE " + column + " " + " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(names)) + " END"


def sql_record(hour: str) -> str:
    """One staging row as `pack` writes it, in PostgreSQL; `hour` is the SQL of the block's hour. Aggregated with
    string_agg(... ORDER BY at) it makes a whole block in the database, without a row through Python."""
    return f"""
    substring(int8send((extract(epoch FROM at - {hour}) * 1000000)::bigint) FROM 5)
    || substring(int4send(({_code("verdict", VERDICTS)}) * 8 + ({_code("source", SOURCES)}) * 2
                          + (reason <> '')::int) FROM 4)
    || float4send(coalesce(rtt_ms, 'NaN')::real) || float4send(coalesce(rtt_max_ms, 'NaN')::real)
    || float4send(coalesce(loss, 'NaN')::real)
    || CASE WHEN reason = '' THEN ''::bytea
       ELSE substring(int4send(octet_length(reason)) FROM 3) || convert_to(reason, 'UTF8') END
"""
