"""The WebSocket client and server mode against peers written by others (websockets,
websocket-client, Node ws, Chromium) and the Autobahn cases; the sans-I/O core
(wlsocket.ws) on its own (test_core_*.py)."""
