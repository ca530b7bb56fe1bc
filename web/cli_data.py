"""`flask --app web ...` commands for data protection: key rotation, retention, backup, restore.

Thin: each parses its options, calls one service and turns its errors into a message and a
non-zero exit (never a traceback).
"""

from __future__ import annotations

import sys

import click
from flask import Flask


def register_data_cli(app: Flask) -> None:
    @app.cli.command("rotate-keys")
    def rotate_keys() -> None:
        """Re-encrypt every personnummer under the first key of PERSONNUMMER_KEYS."""
        from models import crypto
        from services import privacy

        try:
            count = privacy.rotate_keys()
        except crypto.WrongKey as exc:
            click.echo(f"error: {exc}; nothing was changed.", err=True)
            sys.exit(2)
        click.echo(
            f"Re-encrypted {count} personnummer under the first key. "
            "Older keys can now be removed from PERSONNUMMER_KEYS."
        )
