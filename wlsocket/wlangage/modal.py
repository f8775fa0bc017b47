"""AttenteModale: what a modal box means in translated code (wlsocket extension).

In a WINDEV window or a WEBDEV page, ``Info("...")`` opens a modal box: the
code after it runs only when the user has clicked OK, and meanwhile the
socket procedures keep receiving their events (the page "Gestion des
WebSockets" relies on it: its client connects, shows a box, and closes
the socket only once the answer has been shown).  A script has no user;
wlsocket's Info writes its text at once.  The translator (wl2py) therefore
follows every Info / Erreur statement with ``AttenteModale()``, which
stands for the user reading the box: it returns when every socket that
reports to a procedure has handled a message, an error or its close (at
once when there is none), or when the delay has passed.
"""

from __future__ import annotations

import time

from .. import dispatcher
from .delays import seconds_of

__all__ = ["modal_wait", "DEFAULT_MODAL_WAIT"]

#: How long a translated modal box waits at most (the user does not read forever).
DEFAULT_MODAL_WAIT = "10 s"


def modal_wait(max_wait: object = DEFAULT_MODAL_WAIT) -> bool:
    """AttenteModale([<Durée max>]): wait until the socket procedures have had their answer.

    Returns True when every socket with a procedure has handled a message,
    an error or its close, False when ``max_wait`` (a WLangage duration:
    a number of hundredths of a second, or "10 s") passed first.  Called
    from inside a socket procedure it returns True at once: that procedure
    is the one receiving the events.  In "pump" delivery the waiting thread
    runs the procedures itself (as the main thread of a WINDEV program).
    """
    if dispatcher.in_connection_callback():
        return True
    # hundredths or a duration chaîne, read as every runtime delay (NaN, inf: DUREE_INVALIDE)
    deadline = time.monotonic() + max(0.0, seconds_of(max_wait, "AttenteModale #1"))
    while dispatcher.unsettled_sources():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        if dispatcher.get_delivery() == dispatcher.PUMP:
            dispatcher.pump(int(min(remaining, 0.1) * 1000))
            continue
        with dispatcher.settled_changed:
            if dispatcher.unsettled_sources_locked():
                dispatcher.settled_changed.wait(min(remaining, 0.5))
    return True
