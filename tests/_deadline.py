"""A hard deadline for fuzz tests: fail, never hang, when a body runs too long."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


class Hang(Exception):
    pass


@contextmanager
def hard_deadline(seconds: float, what: str = "the body") -> Iterator[None]:
    """Raise :class:`Hang` when the body runs longer than ``seconds`` (SIGALRM, main thread)."""

    def alarm(signum, frame):
        raise Hang(f"{what} ran longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
