"""Benchmarks for zicht: `make bench` or `python -m benchmarks.run [name ...] [--quick]`."""
