"""The facade's error model and name table: one scenario per row of docs/errors.md, the registry of
named sockets, WLangage values."""
