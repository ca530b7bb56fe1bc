"""Coach: the engine's suggestions for one participant and for the whole caseload, and the
decisions on them (approve, reject, withdraw, manual match). Thin: each POST calls one service."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matcher.reasons import exclusion_text as engine_exclusion_text
from models import JobRun, Match, Offer, Participant, Session
from models.offer import OFFER_KINDS
from services import access, manual_matches, privacy, suggestion_queue, suggestions, workflow
from services.workflow import STATUS_LABELS, NotAllowed, WorkflowError
from web import current_lang
from web.choices import option
from web.coach.blueprint import bp
from web.coach.workflow_forms import (
    ApproveForm,
    ManualMatchForm,
    QueueFilterForm,
    RejectForm,
    WithdrawForm,
)

COMPONENT_LABELS = {
    "skills": _l("Krav som uppfylls"),
    "desired": _l("Önskade kompetenser"),
    "occupation": _l("Yrke och intressen"),
    "text": _l("Beskrivningen liknar profilen"),
    "distance": _l("Närhet"),
    "hours": _l("Arbetstid"),
    "support": _l("Stöd på plats"),
    "employment": _l("Kan leda till jobb"),
}
KIND_LABELS = {
    "praktik": _l("Praktik"),
    "arbetstraning": _l("Arbetsträning"),
    "arbetsprovning": _l("Arbetsprövning"),
    "other": _l("Annat"),
}


def rendered(items: list[dict[str, Any]] | None) -> list[str]:
    lang = current_lang()
    return [r.render(lang) for r in suggestions.reasons_from_json(items)]


def exclusion_text(codes: tuple[str, ...] | list[str]) -> str:
    """The engine's own words for the conflicts (`matcher.reasons`), in the reader's language."""
    return engine_exclusion_text(codes, current_lang())


def running_job(subject_type: str, subject_id: int) -> JobRun | None:
    """The newest refresh for this subject if it is still waiting or running, or if it failed
    (the page then says so instead of showing old suggestions as if nothing happened)."""
    newest = Session.scalar(
        select(JobRun)
        .where(
            JobRun.subject_type == subject_type,
            JobRun.subject_id == subject_id,
            JobRun.name.in_(suggestions.REFRESH_JOBS),
        )
        .order_by(JobRun.created_at.desc())
        .limit(1)
    )
    return newest if newest is not None and newest.status != "done" else None


HEALTH_DERIVED = frozenset({"support_missing"})


def _log_health_derived_read(p: Participant, shown: list[Match], exclusions_shown: bool) -> None:
    """Gaps such as "no support for: quiet space" and exclusions for physical demands or missing
    accessibility are read out of the participant's health-related constraints (`needs`,
    `cannot`): showing them is a sensitive read and is logged like one (privacy.reveal)."""
    if exclusions_shown or any(
        g.get("code") in HEALTH_DERIVED for m in shown for g in (m.gaps or [])
    ):
        privacy.reveal(current_user, p, ("cannot", "needs"), ip=request.remote_addr or "")
        Session.commit()


def _back(participant_id: int, **kw: Any) -> Any:
    return redirect(url_for("coach.suggestions", participant_id=participant_id, **kw))


def _manual_choices(participant: Participant) -> list[tuple[int, str]]:
    return [
        option(o.id, f"{o.title} – {o.employer.name}, {o.workplace.municipality}")
        for o in manual_matches.offers_for_manual(participant)
    ]


@bp.route("/participants/<int:participant_id>/suggestions", endpoint="suggestions")
def suggestions_page(
    participant_id: int,
    manual_form: ManualMatchForm | None = None,
    manual_check: Any = None,
    status: int = 200,
) -> Any:
    p = access.participant(current_user, participant_id)
    rows = Session.scalars(
        select(Match)
        .where(Match.participant_id == p.id)
        .options(
            selectinload(Match.offer).selectinload(Offer.employer),
            selectinload(Match.offer).selectinload(Offer.workplace),
        )
        .order_by(Match.rank, Match.id)
    ).all()
    suggested = [m for m in rows if m.status == "suggested"]
    active = [m for m in rows if m.status in workflow.ACTIVE]
    closed = [m for m in rows if m.status not in workflow.ACTIVE and m.status != "suggested"]
    computed = max((m.computed_at for m in suggested), default=None)
    form = manual_form or ManualMatchForm(prefix="manual")
    form.offer_id.choices = _manual_choices(p)
    why = None
    if request.args.get("why") == "1":
        why = [
            (Session.get(Offer, int(e.offer_id)), e.distance_km, exclusion_text(e.codes))
            for e in suggestions.exclusions(p, top=15)
        ]
    _log_health_derived_read(p, suggested, why is not None or manual_check is not None)
    return render_template(
        "coach/suggestions.html",
        p=p,
        suggested=suggested,
        active=active,
        closed=closed,
        computed=computed,
        job=running_job("participant", p.id),
        job_id=request.args.get("job", ""),
        why=why,
        manual_form=form,
        manual_check=manual_check,
        forms_for=_forms_for,
        rendered=rendered,
        component_labels=COMPONENT_LABELS,
        status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS,
        rejected_count=sum(1 for m in rows if m.status == "rejected"),
    ), status


@bp.post("/participants/<int:participant_id>/suggestions/refresh")
def refresh(participant_id: int) -> Any:
    p = access.participant(current_user, participant_id)
    if request.form.get("reconsider") == "1":
        result = suggestions.refresh_participant(p.id, reconsider_rejected=True, actor=current_user)
        flash(_("%(n)s avvisade förslag visas igen.", n=result.reconsidered if result else 0))
        return _back(p.id)
    job_id = suggestions.schedule_refresh_for_participant(p.id, current_user.id)
    Session.commit()
    flash(_("Förslagen uppdateras."))
    return _back(p.id, job=job_id)


def _forms_for(m: Match) -> tuple[ApproveForm, RejectForm]:
    """Each suggestion's own forms, prefixed so that ids stay unique on the page."""
    return ApproveForm(prefix=f"a{m.id}", formdata=None), RejectForm(
        prefix=f"r{m.id}", formdata=None
    )


def _decide(match_id: int, form_cls: type, action: Any, prefix: str = "") -> Any:
    m = access.match(current_user, match_id)
    form = form_cls(prefix=f"{prefix}{match_id}" if prefix else "")
    if not form.validate_on_submit():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        flash(errors or _("Formuläret kunde inte läsas."), "error")
        return suggestions_page(m.participant_id, status=400)
    try:
        action(m, form)
    except NotAllowed:
        abort(404)
    except WorkflowError as err:
        flash(str(err), "error")
        return suggestions_page(m.participant_id, status=409)
    return _back(m.participant_id)


@bp.post("/matches/<int:match_id>/approve")
def approve(match_id: int) -> Any:
    def act(m: Match, form: ApproveForm) -> None:
        workflow.approve(m, current_user, form.note.data or "", send=True)
        flash(_("Förslaget är godkänt och skickat till deltagaren."))

    return _decide(match_id, ApproveForm, act, "a")


@bp.post("/matches/<int:match_id>/reject")
def reject(match_id: int) -> Any:
    def act(m: Match, form: RejectForm) -> None:
        workflow.reject(m, current_user, form.reason.data, form.note.data or "")
        flash(_("Förslaget är avvisat."))

    return _decide(match_id, RejectForm, act, "r")


@bp.post("/matches/<int:match_id>/withdraw")
def withdraw(match_id: int) -> Any:
    def act(m: Match, form: WithdrawForm) -> None:
        workflow.withdraw(m, current_user, form.note.data or "")
        flash(_("Förslaget är återtaget."))

    return _decide(match_id, WithdrawForm, act)


@bp.post("/matches/<int:match_id>/propose")
def propose(match_id: int) -> Any:
    def act(m: Match, _form: WithdrawForm) -> None:
        workflow.propose(m, current_user)
        flash(_("Förslaget är skickat till deltagaren."))

    return _decide(match_id, WithdrawForm, act)


@bp.post("/matches/<int:match_id>/answer")
def record_answer(match_id: int) -> Any:
    """The coach records the participant's answer given by phone or at a meeting."""
    answer = request.form.get("answer")
    if answer not in ("yes", "no"):
        m = access.match(current_user, match_id)
        flash(_("Välj ja eller nej."), "error")
        return suggestions_page(m.participant_id, status=400)

    def act(m: Match, _form: WithdrawForm) -> None:
        workflow.answer(m, current_user, answer == "yes", _("Registrerat av coach"))
        flash(_("Deltagarens svar är registrerat."))

    return _decide(match_id, WithdrawForm, act)


@bp.post("/participants/<int:participant_id>/manual")
def manual(participant_id: int) -> Any:
    p = access.participant(current_user, participant_id)
    form = ManualMatchForm(prefix="manual")
    form.offer_id.choices = _manual_choices(p)
    if not form.validate_on_submit():
        return suggestions_page(p.id, manual_form=form, status=400)
    offer = access.offer(current_user, form.offer_id.data)
    try:
        manual_matches.manual_match(
            p, offer, current_user, form.note.data or "", override=bool(form.override.data)
        )
    except NotAllowed:
        abort(404)
    except WorkflowError as err:
        form.offer_id.errors = [str(err)]
        conflicts = exclusion_text(err.codes) if isinstance(err, manual_matches.Conflict) else None
        return suggestions_page(p.id, manual_form=form, manual_check=conflicts, status=422)
    flash(_("Erbjudandet är föreslaget för deltagaren."))
    return _back(p.id)


# --- the whole caseload ------------------------------------------------------------------------


@bp.route("/suggestions")
def queue() -> Any:
    form = QueueFilterForm(request.args)
    form.municipality.choices = [option("", _("Alla"))] + [
        option(m, m) for m in suggestion_queue.workplace_municipalities()
    ]
    form.kind.choices = [option("", _("Alla"))] + [option(k, KIND_LABELS[k]) for k in OFFER_KINDS]
    if request.args and not form.validate():
        return _queue_page(form, suggestion_queue.QueuePage([], 0, 1, 1), None, "", {}), 400
    result = suggestion_queue.queue(
        current_user,
        suggestion_queue.QueueFilter(
            q=form.q.data or "",
            municipality=form.municipality.data or "",
            kind=form.kind.data or "",
            field=form.field.data or "",
            max_km=float(form.max_km.data) if form.max_km.data is not None else None,
            mine=request.args.get("mine") == "1",
            page=request.args.get("page", 1, type=int) or 1,
        ),
    )
    args = {k: v for k, v in request.args.items() if k not in ("page", "job")}
    job = running_job("unit", current_user.unit_id)
    return _queue_page(form, result, job, request.args.get("job", ""), args)


def _queue_page(
    form: QueueFilterForm,
    result: suggestion_queue.QueuePage,
    job: JobRun | None,
    job_id: str,
    args: dict[str, str],
) -> str:
    return render_template(
        "coach/suggestions_queue.html",
        form=form,
        rows=result.rows,
        page=result.page,
        pages=result.pages,
        total=result.total,
        job=job,
        job_id=job_id,
        rendered=rendered,
        kind_labels=KIND_LABELS,
        args=args,
    )


@bp.post("/suggestions/refresh")
def refresh_caseload() -> Any:
    if current_user.unit_id is None:
        abort(404)
    job_id = suggestions.schedule_refresh_for_unit(current_user.unit_id, current_user.id)
    Session.commit()
    flash(_("Förslagen för hela ärendelistan uppdateras."))
    return redirect(url_for("coach.queue", job=job_id))
