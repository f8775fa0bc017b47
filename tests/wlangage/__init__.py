"""The WLangage runtime apart from sockets: strings, buffers, hashes, console, threads."""
