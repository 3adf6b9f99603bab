"""Byline's benchmarks (run them from the repository root; see BENCHMARKS.md)."""
