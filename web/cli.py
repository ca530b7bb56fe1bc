"""`flask --app web ...` commands: database, demo data, settings. Thin: each calls a service."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app


def register_cli(app: Flask) -> None:
    from web.cli_data import register_data_cli

    register_data_cli(app)

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the database schema to the newest migration (Alembic)."""
        from services import database

        database.upgrade(url=current_app.config["DATABASE_URL"])
        click.echo("Database is at the newest schema.")

    @app.cli.command("db-check")
    def db_check() -> None:
        """Fail when the models and the migrations disagree (run in CI)."""
        from models import Session
        from services import database

        with Session().connection() as conn:
            diff = database.drift(conn)
        if diff:
            for item in diff:
                click.echo(f"drift: {item}", err=True)
            sys.exit(1)
        click.echo("Models and migrations agree.")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only seed when the database has no users.")
    def seed_demo(if_empty: bool) -> None:
        """Load the synthetic demo data (idempotent) and print the demo logins."""
        from sqlalchemy import func, select

        from models import Session, User
        from services import demo

        if if_empty and Session.scalar(select(func.count(User.id))):
            click.echo("The database already has users; demo data not loaded.")
        else:
            result = demo.seed()
            if result.created:
                click.echo(
                    "Demo data loaded: " + ", ".join(f"{k} {v}" for k, v in result.counts.items())
                )
                _after_seed()
            else:
                click.echo("Demo data is already there.")
        if demo.is_seeded():
            click.echo(f"\nDemo logins (password: {demo.DEMO_PASSWORD}):")
            for email, role, what in demo.DEMO_LOGINS:
                click.echo(f"  {email:<24} {role:<12} {what}")

    @app.cli.command("assessment-reminders")
    def assessment_reminders() -> None:
        """Flag participants due for a progression measurement and notify their coaches (daily)."""
        from jobs.reminders import flag_due_assessments

        result = flag_due_assessments()
        click.echo(
            f"Due for a measurement: {len(result['due'])}; coaches notified: {result['notified']}."
        )

    @app.cli.command("employer-reminders")
    @click.option("--today", help="Count working days up to this date (YYYY-MM-DD).")
    def employer_reminders(today: str | None) -> None:
        """Remind employers of unanswered candidates, then tell the coach (daily, idempotent)."""
        from datetime import date

        from services import employer_response

        try:
            day = date.fromisoformat(today) if today else None
        except ValueError:
            click.echo(f"error: --today must be a date like 2026-12-01, got {today!r}", err=True)
            sys.exit(2)
        result = employer_response.send_reminders(day)
        click.echo(
            f"Waiting candidates: {result['waiting']}; employer reminders: "
            f"{result['employer_reminders']}; coaches told: {result['coaches_told']}."
        )

    @app.cli.command("supervisor-reminders")
    def supervisor_reminders() -> None:
        """Tell employers and coaches of missing supervisor assessments (daily, idempotent)."""
        from services import supervisor_assessments

        result = supervisor_assessments.send_reminders()
        click.echo(f"Placements checked: {result['placements']}; reminders sent: {result['sent']}.")

    @app.cli.command("follow-up-reminders")
    def follow_up_reminders() -> None:
        """Tell coaches of outcome follow-ups due after exit (daily, idempotent)."""
        from services import follow_ups

        result = follow_ups.send_reminders()
        click.echo(f"Follow-ups due: {result['due']}; coaches notified: {result['sent']}.")

    @app.cli.command("refresh-suggestions")
    @click.option("--unit", "unit_id", type=int, help="Only this unit (default: every unit).")
    def refresh_suggestions(unit_id: int | None) -> None:
        """Recompute the engine's suggestions for whole caseloads (capped exposure per offer)."""
        from sqlalchemy import select

        from models import Session, Unit
        from services import suggestions

        ids = [unit_id] if unit_id else Session.scalars(select(Unit.id).order_by(Unit.id)).all()
        for uid in ids:
            if Session.get(Unit, uid) is None:
                click.echo(f"error: no unit with id {uid}", err=True)
                sys.exit(2)
            result = suggestions.refresh_unit(uid)
            click.echo(
                f"unit {uid}: {result['participants']} participants, "
                f"{result['suggested']} suggestions, {result['dropped']} dropped"
            )

    @app.cli.command("load-taxonomy")
    @click.argument("directory", type=click.Path(path_type=Path))
    def load_taxonomy(directory: Path) -> None:
        """Load a JobTech Taxonomy export folder beside the built-in vocabulary."""
        from services import vocabulary

        target = Path(current_app.instance_path) / "taxonomy"
        try:
            summary = vocabulary.load_into(directory, target)
        except (OSError, ValueError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        click.echo(
            f"Loaded {summary['files']} files ({summary['concepts']} concepts) into {target}. "
            "Restart the app and workers to use it (TAXONOMY_DIR, when set, takes precedence)."
        )

    @app.cli.command("settings")
    def settings_doc() -> None:
        """Print every setting with its default (the README's table)."""
        from web.settings import ROOT, SETTINGS

        click.echo("| variable | default | meaning |\n| --- | --- | --- |")
        for s in SETTINGS:
            default = s.default.replace(str(ROOT), ".") if s.default else "(unset)"
            click.echo(f"| `{s.name}` | `{default}` | {s.help} |")


def _after_seed() -> None:
    """Compute the demo's first suggestions and move a few matches along (`services.demo_matches`)."""
    from services import demo_matches

    demo_matches.run()
