"""Offline quality evaluation of the ranking against labelled occupations (see benchmarks.evaluate)."""
