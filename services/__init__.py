"""Use cases: the one place where a rule is written, called by the web app, the jobs and the CLI.

Also the queue (`services.queue`) and the background tasks these use cases start, so that no
module here needs `jobs` or `web` (`tests/test_layering_app.py`).
"""
