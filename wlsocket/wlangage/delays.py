"""WLangage delays of the runtime functions (ThreadPause, SignalAttend, TimerSys...).

A number is in **hundredths of a second** (``ThreadPause(50)`` is half a
second), as in WLangage; a chaîne is any duration :func:`wlsocket.values.duration_ms`
reads (``"200 ms"``, ``"1 s"``, ``"1 min 30 s"``), and so is a
``datetime.timedelta``.  ``None`` means "no delay given".
"""

from __future__ import annotations

import datetime
import math

from ..errors import raise_error
from ..values import MAX_DURATION_MS, duration_ms
from ._types import bad_type

__all__ = ["seconds_of", "wait_seconds"]


def seconds_of(value: object, where: str) -> float:
    """A delay in seconds; None gives -1.0 (none given)."""
    if value is None:
        return -1.0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or abs(value) * 10 > MAX_DURATION_MS:
            raise_error("DUREE_INVALIDE", f"{where}={value!r}")
        return value / 100.0
    if isinstance(value, (str, datetime.timedelta)):
        return duration_ms(value, where) / 1000.0
    bad_type(where, value)


def wait_seconds(value: object, where: str) -> float | None:
    """A maximum wait: None (no limit) when omitted or negative, as the
    WLangage waiting functions read it."""
    seconds = seconds_of(value, where)
    return None if seconds < 0 else seconds
