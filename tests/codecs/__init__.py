"""wlsocket.codecs alone and through the facade: any payload and any cutting, the decoders' fast
paths against a plain model, exact size limits and mode changes."""
