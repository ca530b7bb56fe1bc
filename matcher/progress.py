"""Progress on stderr for long batch runs: a bar on a terminal, plain lines otherwise.

A bar redrawn with carriage returns is right for a person watching, and garbage in a log file or
a CI transcript; there a plain line every few seconds (and at the end) says the same.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts done out of `total`; call `advance(n)` as work completes and `close()` at the end."""

    def __init__(
        self,
        total: int,
        label: str,
        stream: TextIO | None = None,
        *,
        tty: bool | None = None,
        every_s: float = 5.0,
        clock=time.monotonic,
    ):
        self.total = max(int(total), 0)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.every_s = every_s
        self.clock = clock
        self.started = clock()
        self.done = 0
        self._last = self.started
        self._closed = False

    def advance(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        now = self.clock()
        if self.tty:
            if now - self._last >= 0.1 or self.done == self.total:
                self._draw_bar(now)
                self._last = now
        elif now - self._last >= self.every_s:
            self._line(now)
            self._last = now

    def _rate(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        return f"{self.done / elapsed:,.0f}/s"

    def _draw_bar(self, now: float) -> None:
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done:,}/{self.total:,} {self._rate(now)}")
        self.stream.flush()

    def _line(self, now: float) -> None:
        pct = 100.0 * self.done / self.total if self.total else 100.0
        self.stream.write(
            f"{self.label}: {self.done:,}/{self.total:,} ({pct:.0f} %), {self._rate(now)}\n"
        )
        self.stream.flush()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        now = self.clock()
        if self.tty:
            self._draw_bar(now)
            self.stream.write("\n")
            self.stream.flush()
        elif self.done and now - self._last > 0:
            self._line(now)
