"""One file per transport (TCP, TLS, UDP) with real sockets on 127.0.0.1, the exact bytes on the
wire in each mode, and the dispatcher that runs the procedures."""
