"""Benchmarks and the offline ranking evaluation; not part of the installed app (see README)."""
