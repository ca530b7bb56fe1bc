"""The ranking engine: a pure library (no web, database or queue), also usable from the command line.

`ENGINE_VERSION` is stored on every suggestion the app computes, so a coach or an auditor can tell
which engine produced it. Bump it when scoring, weights, constraints or the built-in vocabulary
change what the engine suggests.
"""

ENGINE_VERSION = "matcher-2026.12b"
