"""Real peers for the tests: servers written with wlsocket, and helpers that
drive programs written by others (Chromium, Node ws, kosoku)."""
