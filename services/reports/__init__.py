"""Reports for unit managers, the ESF and the municipality: pure aggregations over plain rows.

`data.load()` is the only module that queries; `outcomes`, `timing`, `funnel` and `equality` take
the plain rows it returns (dicts) and return plain data, so every figure can be checked by hand on
a small fixture. Every participant figure is split by gender (`gender.GROUPS`), as the ESF asks.
"""
