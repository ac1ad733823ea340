"""Benchmarks: the program against the floor it cannot beat, printed as DESIGN.md §9 asks.

Run with `make bench`; they stay out of the test run.
"""
