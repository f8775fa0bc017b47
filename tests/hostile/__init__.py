"""Bad input and hostile peers: the facade fuzzed, raw peers per transport, races on one name, a
soak; descriptors, threads and memory back to baseline."""
