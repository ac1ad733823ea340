"""Benchmark packages (DESIGN.md §12): export with disclosure control, signature and import."""
