"""Offline quality evaluation of the ranking against labelled occupations (see matcher.evaluate)."""
