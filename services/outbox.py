"""Delivering the e-mail outbox: SMTP when configured, else a file (the embedded default)."""

from __future__ import annotations

import smtplib
from email import policy
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from models import OutboxEmail, Session, utcnow


def send_outbox_email(outbox_id: int) -> dict[str, object]:
    """Send one queued e-mail exactly once.

    Safe to run twice (a sent row is left alone) and when the row is gone. A failure is recorded
    and re-raised so that rq retries it.
    """
    db = Session()
    mail = db.get(OutboxEmail, outbox_id, with_for_update=True)
    if mail is None:
        return {"status": "missing"}
    if mail.sent_at is not None:
        return {"status": "already_sent"}
    config = current_app.config
    mail.attempts += 1
    try:
        if config.get("MAIL_SERVER"):
            _send_smtp(mail, config)
        else:
            _write_file(mail, Path(str(config["MAIL_FILE"])), str(config["MAIL_FROM"]))
    except (OSError, smtplib.SMTPException) as exc:
        mail.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        db.commit()
        raise
    mail.sent_at = utcnow()
    mail.last_error = ""
    db.commit()
    return {"status": "sent"}


def _message(mail: OutboxEmail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to_address
    msg["Subject"] = mail.subject
    msg["Message-ID"] = f"<outbox-{mail.id}-{mail.dedupe_key}@platsmatch>"
    msg.set_content(mail.body)
    return msg


def _send_smtp(mail: OutboxEmail, config: dict[str, object]) -> None:
    with smtplib.SMTP(
        str(config["MAIL_SERVER"]), int(str(config["MAIL_PORT"])), timeout=30
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(str(config["MAIL_USERNAME"]), str(config["MAIL_PASSWORD"]))
        smtp.send_message(_message(mail, str(config["MAIL_FROM"])))


def _write_file(mail: OutboxEmail, path: Path, sender: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(_message(mail, sender).as_string(policy=policy.SMTPUTF8))
        fh.write("\n" + "=" * 72 + "\n")
