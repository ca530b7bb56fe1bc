"""`flask --app web ...` commands for data protection: key rotation, retention, backup, restore.

Thin: each parses its options, calls one service and turns its errors into a message and a
non-zero exit (never a traceback).
"""

from __future__ import annotations

import sys
from pathlib import Path

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

    @app.cli.command("retention")
    @click.option(
        "--apply", is_flag=True, help="Anonymise (without it: a dry run that only lists)."
    )
    @click.option(
        "--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), help="Day to count from (today)."
    )
    def retention(apply: bool, as_of: object) -> None:
        """Anonymise participants whose unit's retention period after exit has passed (nightly)."""
        from datetime import date

        from flask import current_app

        from services import retention as service

        today = as_of.date() if as_of is not None else date.today()  # type: ignore[attr-defined]
        result = service.run(today, int(current_app.config["RETENTION_MONTHS"]), apply=apply)
        verb = "Anonymised" if apply else "Dry run: would anonymise"
        click.echo(f"{verb} {len(result.due)} participant(s) as of {today.isoformat()}.")
        for item in result.due:
            click.echo(
                f"  participant #{item.participant_id} (unit {item.unit_id}): exited "
                f"{item.exited_on.isoformat()}, kept {item.months} months, due {item.due_on}"
            )
        if not apply and result.due:
            click.echo("Run again with --apply to anonymise them.")

    @app.cli.command("set-retention")
    @click.argument("unit_id", type=int)
    @click.argument("months")
    @click.option("--by", "admin_email", required=True, help="E-mail of the administrator.")
    def set_retention(unit_id: int, months: str, admin_email: str) -> None:
        """Set a unit's retention period in months after exit (`default`: RETENTION_MONTHS)."""
        from sqlalchemy import func, select

        from models import Session, User
        from services import retention as service
        from services.validation import Invalid

        admin = Session.scalar(select(User).where(func.lower(User.email) == admin_email.lower()))
        if admin is None or admin.role != "admin":
            click.echo(f"error: {admin_email} is not an administrator", err=True)
            sys.exit(2)
        try:
            value = None if months == "default" else int(months)
            unit = service.set_retention(admin, unit_id, value)
        except ValueError:
            click.echo("error: MONTHS must be a whole number or `default`", err=True)
            sys.exit(2)
        except (Invalid, PermissionError, LookupError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        shown = unit.retention_months if unit.retention_months is not None else "default"
        click.echo(f"Unit {unit.id} ({unit.name}): retention {shown} months after exit.")

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup(path: Path) -> None:
        """Write a checked backup of the whole database to PATH (a zip; see README, Backups)."""
        from flask import current_app

        from services import backup as service

        try:
            manifest = service.dump(current_app.config["DATABASE_URL"], path)
        except service.BackupError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        click.echo(
            f"Backup written to {path}: {len(manifest['tables'])} tables, {rows} rows, "
            f"schema revision {manifest['revision']}. Personnummer are in it as ciphertext: "
            "keep PERSONNUMMER_KEYS and PERSONNUMMER_HASH_KEY safe, apart from the backup."
        )

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def restore(path: Path) -> None:
        """Restore a backup into the (new, empty) database at DATABASE_URL, all or nothing."""
        from flask import current_app

        from services import backup as service

        try:
            manifest = service.restore(current_app.config["DATABASE_URL"], path)
        except service.BackupError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        click.echo(
            f"Restored {rows} rows in {len(manifest['tables'])} tables from {path} "
            f"(made {manifest['created_at']}); every table's row count and checksum match."
        )
