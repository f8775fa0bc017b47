"""The WebSocket protocol (RFC 6455, RFC 7692), sans-I/O, for both sides.

Nothing here touches a socket: bytes go in, events and bytes to send come
out, as in h11, wsproto and the ``websockets`` core.  The transports
(:mod:`wlsocket.transports.wsclient`, :mod:`wlsocket.transports.wsserver`)
are the I/O loops around it.

* :mod:`.frames`: opcodes and close codes, the one frame-header writer and
  the one frame-header parser, masking (one replaceable function);
* :mod:`.deflate`: permessage-deflate (negotiation and the codec);
* :mod:`.protocol`: the connection state machine (messages, control frames,
  the size limit, the UTF-8 checks, the close handshake);
* :mod:`.handshake`: the opening handshake policy (the server's request
  parse, accept and refusals; the client's response checks).
"""
