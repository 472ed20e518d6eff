"""Benchmarks: speed and memory figures printed by `nichegraph bench ...` (never asserted in tests)."""
