"""A remote poller's spool: every result is kept here, numbered, until the centre says it recorded it.

Plain SQLite (the poller's own file, not Django's database). AUTOINCREMENT numbers never repeat, also after
rows are deleted and across restarts, so a result's seq identifies it to the centre for good: a batch sent
again after a crash is recognised and not recorded twice. Bounded by rows and by age; beyond either the
oldest results are dropped, said in the log, and counted until the centre has been told.
"""

import json
import logging
import sqlite3
import time
from pathlib import Path

from monitoring.observations import Observation
from monitoring.remote.wire import result_to_wire

log = logging.getLogger("simpul.remote")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS result (seq INTEGER PRIMARY KEY AUTOINCREMENT, taken REAL NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO counter VALUES ('dropped', 0);
"""


class Spool:
    def __init__(self, path: Path, *, max_rows: int, max_age_s: float) -> None:
        self.max_rows, self.max_age_s = max_rows, max_age_s
        # Autocommit, with explicit transactions; WAL survives the process being killed at any point.
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def add(self, observations: list[Observation]) -> None:
        """Keep `observations` (in order), then drop the oldest beyond the bounds."""
        rows = []
        for obs in observations:
            body = result_to_wire(0, obs)
            del body["seq"]  # given by the spool
            rows.append((obs.at.timestamp(), json.dumps(body)))
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT INTO result (taken, body) VALUES (?, ?)", rows)
            self._bound()

    def _bound(self) -> None:
        dropped = self._db.execute("DELETE FROM result WHERE taken < ?", (time.time() - self.max_age_s,)).rowcount
        (count,) = self._db.execute("SELECT count(*) FROM result").fetchone()
        if count > self.max_rows:
            dropped += self._db.execute(
                "DELETE FROM result WHERE seq IN (SELECT seq FROM result ORDER BY seq LIMIT ?)",
                (count - self.max_rows,),
            ).rowcount
        if dropped:
            self._db.execute("UPDATE counter SET value = value + ? WHERE name = 'dropped'", (dropped,))
            log.warning(
                "spool full (%d results or %.1f days): the %d oldest results dropped; the centre is told",
                self.max_rows,
                self.max_age_s / 86400,
                dropped,
            )

    def oldest(self, limit: int) -> list[dict]:
        """Up to `limit` results as the wire carries them, oldest first."""
        rows = self._db.execute("SELECT seq, body FROM result ORDER BY seq LIMIT ?", (limit,)).fetchall()
        return [{"seq": seq, **json.loads(body)} for seq, body in rows]

    def backlog(self) -> int:
        return self._db.execute("SELECT count(*) FROM result").fetchone()[0]

    def dropped(self) -> int:
        return self._db.execute("SELECT value FROM counter WHERE name = 'dropped'").fetchone()[0]

    def acknowledge(self, through: int, *, dropped_told: int) -> None:
        """The centre recorded every result up to `through` and heard of `dropped_told` dropped ones."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM result WHERE seq <= ?", (through,))
            self._db.execute("UPDATE counter SET value = max(value - ?, 0) WHERE name = 'dropped'", (dropped_told,))

    def discard(self, seqs: list[int]) -> None:
        """Results the centre refuses for good (their asset left the assignment): dropped and counted."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            gone = self._db.executemany("DELETE FROM result WHERE seq = ?", [(seq,) for seq in seqs]).rowcount
            self._db.execute("UPDATE counter SET value = value + ? WHERE name = 'dropped'", (gone,))

    def catch_up(self, recorded_through: int) -> None:
        """The centre has recorded seqs this spool never gave (it was made anew): number on above them.

        Otherwise every new result would look like one already recorded, and be acknowledged unrecorded.
        """
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'result'").fetchone()
            issued = row[0] if row else 0
            if recorded_through <= issued:
                return
            log.warning("the centre recorded up to seq %d, this spool only %d: renumbering", recorded_through, issued)
            shift = recorded_through  # every unacknowledged result moves above what the centre has
            self._db.execute("UPDATE result SET seq = -(seq + ?)", (shift,))  # two steps: no key collides
            self._db.execute("UPDATE result SET seq = -seq")
            if row:
                self._db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'result'", (issued + shift,))
            else:
                self._db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('result', ?)", (issued + shift,))
