"""Named random streams: one ``numpy.random.Generator`` per source of randomness.

Each stream is seeded from (scenario seed, replication, stream name), so replication k of
every scenario draws the same numbers from a stream of the same name (common random
numbers), and adding a stream never shifts another. There is no global random state.
"""

from __future__ import annotations

import hashlib

import numpy as np


def stream_key(name: str) -> list[int]:
    """Four 32-bit words derived from a stream name (stable across runs and machines)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]


def generator(seed: int, replication: int, name: str) -> np.random.Generator:
    """The generator of stream ``name`` in replication ``replication`` under ``seed``."""
    sequence = np.random.SeedSequence([seed, replication, *stream_key(name)])
    return np.random.Generator(np.random.PCG64(sequence))


class Streams:
    """Factory of named generators for one replication; each name is handed out once."""

    def __init__(self, seed: int, replication: int):
        self.seed = seed
        self.replication = replication
        self._issued: set[str] = set()

    def __call__(self, name: str) -> np.random.Generator:
        """The generator for stream ``name`` (e.g. ``review.mc``)."""
        if name in self._issued:
            raise ValueError(f"random stream {name!r} requested twice in one replication")
        self._issued.add(name)
        return generator(self.seed, self.replication, name)
