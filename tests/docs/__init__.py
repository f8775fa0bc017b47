"""The documents stay true: README's commands, the generated name table of docs/porting-guide.md,
the reliability table."""
