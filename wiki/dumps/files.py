"""Dump files: plain, .gz or .bz2 by their name, and where in the file a reader is."""

from __future__ import annotations

import bz2
import gzip
import os
from typing import IO

# A dump file as its readers and writers use it; typeshed does not count a GzipFile as an IO[bytes].
BinaryFile = IO[bytes] | gzip.GzipFile


def open_write(path: str) -> BinaryFile:
    if path == "-":
        import sys

        return sys.stdout.buffer
    if path.endswith(".gz"):
        return gzip.open(path, "wb")
    if path.endswith(".bz2"):
        return bz2.open(path, "wb")
    return open(path, "wb")


class Reader:
    """A dump opened for reading; `position` is how far into the file (on disk) it has read."""

    def __init__(self, path: str):
        self.path = path
        self.raw = open(path, "rb")
        self.size = os.fstat(self.raw.fileno()).st_size
        self.compressed = path.endswith((".gz", ".bz2"))
        if path.endswith(".gz"):
            self.stream: BinaryFile = gzip.open(self.raw, "rb")
        elif path.endswith(".bz2"):
            self.stream = bz2.open(self.raw, "rb")
        else:
            self.stream = self.raw

    @property
    def position(self) -> int:
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    def describe_position(self) -> str:
        what = "compressed bytes" if self.compressed else "bytes"
        return f"byte {self.position:,} of {self.size:,} ({what})"

    def close(self) -> None:
        for handle in (self.stream, self.raw):
            try:
                handle.close()
            except (OSError, EOFError, ValueError):
                pass
