"""The ported documentation examples in examples/, run against real peers."""
