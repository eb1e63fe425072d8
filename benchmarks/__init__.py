"""Benchmarks: ``python -m benchmarks`` (or ``make bench``) runs them all."""
