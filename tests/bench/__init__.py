"""The benchmark harness runs (tiny sizes) and computes its ratios right; speed itself is measured
in bench/, not here."""
