"""The events export (``mcsim eventlog --format events``): every event of every
replication, one CSV row each, in the columns of :data:`~simlib.engine.eventlog.COLUMNS`
(dates as YYYY-MM-DD); text cells safe in a spreadsheet. Written a batch of replications at
a time, so a log of any number of replications never sits in memory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from simlib.engine.eventlog import EventLog, events_frame
from simlib.formats.cells import safe_column
from simlib.records.activities import log_batches

TEXT_COLUMNS = ("pathway", "level", "step", "body")


def write_events_csv(logs: Iterable[EventLog], stream: TextIO) -> int:
    """Write every event of ``logs`` to ``stream`` as CSV (a header row, then one row per
    event); returns how many events."""
    written = 0
    for number, batch in enumerate(log_batches(logs)):
        frame = events_frame(batch)
        for column in TEXT_COLUMNS:
            frame[column] = safe_column(frame[column])
        frame.to_csv(stream, index=False, header=number == 0, date_format="%Y-%m-%d")
        written += len(frame)
    return written
