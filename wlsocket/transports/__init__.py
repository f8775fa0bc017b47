"""Transports own the I/O of one named socket each; the codecs frame bytes."""
