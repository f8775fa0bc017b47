"""``python -m wlsocket``: the ``wlsocket`` command (see :mod:`wlsocket.cli`)."""

import sys

from .cli import main

sys.exit(main())
