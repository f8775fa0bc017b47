"""The WLangage facade: one short function per WLangage function.

Each function checks its arguments the way WLangage does, finds the named
socket in the registry and asks its transport; the error model is applied
by :func:`wlsocket.errors.wlangage_function`.  The French, unaccented and
English names of every function are declared once, in :mod:`wlsocket.names`.
"""
