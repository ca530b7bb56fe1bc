"""Importing employers and offers, and participants, from files (CSV, XLSX, JSON Lines, JobTech).

A file is uploaded into one unit (`upload`), checked by a background job (the dry run: what would
be created, changed or refused, each refused row named by line and column), and imported by a
second job when the coach asks (`start`): all or nothing in one transaction, found again by
external id so that the same file twice changes nothing. Both runs are audited.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import ImportFile, Session, Unit, User, utcnow
from models.db import today as db_today
from services import access, audit, queue
from services.imports.cells import Problem
from services.imports.plan import (
    Plan,
    apply_offers,
    apply_participants,
    plan_offers,
    plan_participants,
)
from services.imports.readers import Unreadable, detect_format, read
from services.validation import N_, Invalid

log = logging.getLogger(__name__)

__all__ = ["check_job", "import_job", "start", "upload"]


def upload(
    actor: User,
    unit_id: int,
    kind: str,
    filename: str,
    content: bytes,
    *,
    options: dict[str, Any] | None = None,
    max_bytes: int = 5_000_000,
) -> ImportFile:
    """Keep an uploaded file for `unit_id` and start its dry run."""
    unit = access.import_unit(actor, unit_id)
    if kind not in ("offers", "participants"):
        raise Invalid({"kind": N_("Välj vad filen innehåller.")})
    if not content:
        raise Invalid({"file": N_("Välj en fil.")})
    if len(content) > max_bytes:
        raise Invalid({"file": N_("Filen är för stor.")})
    try:
        fmt = detect_format(filename, content)
    except Unreadable as exc:
        raise Invalid({"file": exc.message}) from exc
    db = Session()
    item = ImportFile(
        unit_id=unit.id,
        kind=kind,
        format=fmt,
        filename=filename[-255:],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        options=options or {},
        created_by_id=actor.id,
    )
    db.add(item)
    db.flush()
    audit.record(
        "import.uploaded",
        actor=actor,
        subject=item,
        details={"unit_id": unit.id, "kind": kind, "format": fmt, "filename": item.filename},
    )
    queue.enqueue(
        check_job,
        item.id,
        title="import check",
        subject=("import_file", item.id),
        requested_by_id=actor.id,
    )
    db.commit()
    return item


def start(actor: User, import_id: int) -> ImportFile:
    """Import a checked file for real (a background job)."""
    item = access.import_file(actor, import_id)
    if item.status != "checked" or item.result.get("counts", {}).get("refused"):
        raise Invalid({"file": N_("Filen kan inte importeras: rätta raderna med fel.")})
    item.status = "queued"
    queue.enqueue(
        import_job,
        item.id,
        title="import",
        subject=("import_file", item.id),
        requested_by_id=actor.id,
    )
    Session.commit()
    return item


def runs_for(actor: User, limit: int = 20) -> list[ImportFile]:
    query = access.visible_imports(actor).order_by(ImportFile.id.desc()).limit(limit)
    return list(Session.scalars(query))


def job_of(import_id: int) -> Any:
    from models import JobRun

    return Session.scalar(
        select(JobRun)
        .where(JobRun.subject_type == "import_file", JobRun.subject_id == import_id)
        .order_by(JobRun.created_at.desc())
        .limit(1)
    )


# --- the two jobs ------------------------------------------------------------------------------


def _plan(item: ImportFile, today: date) -> Plan:
    unit = Session.get(Unit, item.unit_id)
    assert unit is not None
    try:
        rows = read(item.kind, item.format, item.content)
    except Unreadable as exc:
        return Plan(problems=[Problem(exc.line, "", exc.message, exc.params)])
    queue.progress(0.2, "read")
    if item.kind == "participants":
        return plan_participants(unit, rows, today)
    return plan_offers(unit, rows, today, item.options)


def check_job(import_id: int) -> dict[str, Any]:
    """The dry run: what the file would do; nothing but the result is written."""
    db = Session()
    item = db.get(ImportFile, import_id)
    if item is None or item.status not in ("uploaded", "checked"):
        return {"skipped": True}
    plan = _plan(item, db_today())
    db.rollback()  # planning writes nothing; drop anything a lookup might have loaded
    item = db.get(ImportFile, import_id)
    assert item is not None
    result = plan.result()
    item.result = result
    item.status = "checked"
    audit.record(
        "import.checked",
        actor=db.get(User, item.created_by_id),
        subject=item,
        details={"counts": result["counts"]},
    )
    db.commit()
    return {"counts": result["counts"]}


def import_job(import_id: int) -> dict[str, Any]:
    """The real run: everything in one transaction, or nothing when any row is refused now."""
    db = Session()
    item = db.get(ImportFile, import_id)
    if item is None or item.status != "queued":
        return {"skipped": True}
    actor = db.get(User, item.created_by_id)
    unit = db.get(Unit, item.unit_id)
    assert actor is not None and unit is not None
    today = db_today()
    plan = _plan(item, today)
    if plan.problems:
        return _refused(import_id, plan.result())
    try:
        if item.kind == "participants":
            written = apply_participants(plan, unit, actor, today)
        else:
            written = apply_offers(plan, unit, actor)
        db.flush()
        counts = plan.counts()
        ids = sorted(obj.id for obj in written)
        audit.record(
            "import.applied",
            actor=actor,
            subject=item,
            details={
                "unit_id": unit.id,
                "kind": item.kind,
                "filename": item.filename,
                "sha256": item.sha256,
                "counts": counts,
                "written_ids": ids,
            },
        )
        _schedule_refreshes(item.kind, unit.id, ids, actor.id)
        item.status = "imported"
        item.imported_at = utcnow()
        item.result = plan.result()
        item.content = b""  # the rows now live in their tables; the file is not kept twice
        db.commit()
    except IntegrityError:
        db.rollback()
        log.info("import %s collided with a concurrent change", import_id)
        problem = Problem(
            None, "", N_("Någon annan ändrade samma rader samtidigt. Kontrollera filen igen.")
        )
        return _refused(import_id, {**plan.result(), "problems": [problem.as_dict()]})
    return {"counts": counts}


def _refused(import_id: int, result: dict[str, Any]) -> dict[str, Any]:
    db = Session()
    db.rollback()
    item = db.get(ImportFile, import_id)
    assert item is not None
    item.status = "refused"
    item.result = result
    audit.record(
        "import.refused",
        actor=db.get(User, item.created_by_id),
        subject=item,
        details={"counts": result.get("counts", {})},
    )
    db.commit()
    return {"refused": True, "counts": result.get("counts", {})}


def _schedule_refreshes(kind: str, unit_id: int, ids: list[int], actor_id: int) -> None:
    """New or changed participants: one refresh of the unit's caseload (it also caps how often
    an offer is shown), not one job per row. Offers: one coalesced refresh each."""
    from services.suggestions import schedule_refresh_for_offer, schedule_refresh_for_unit

    if not ids:
        return
    if kind == "participants":
        schedule_refresh_for_unit(unit_id, requested_by_id=actor_id)
        return
    for obj_id in ids:
        schedule_refresh_for_offer(obj_id, requested_by_id=actor_id)
