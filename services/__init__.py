"""Use cases: the one place where a rule is written, called by the web app, the jobs and the CLI."""
