"""Coach: the engine's suggestions for one participant and for the whole caseload, and the
decisions on them (approve, reject, withdraw, manual match). Thin: each POST calls one service."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matcher.reasons import exclusion_text as engine_exclusion_text
from models import JobRun, Match, Offer, Participant, Session
from models.match import PLACED_STATUSES
from models.offer import OFFER_KINDS
from services import (
    access,
    manual_matches,
    planning,
    privacy,
    suggestion_queue,
    suggestions,
    workflow,
)
from services.workflow import STATUS_LABELS, NotAllowed, WorkflowError
from web import current_lang
from web.choices import option
from web.coach.blueprint import bp
from web.coach.workflow_forms import (
    ApproveForm,
    ManualMatchForm,
    QueueDecisionForm,
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


# Exclusion codes read out of the participant's health-related constraints (`cannot`, `needs`).
# The support-level gap ("stöd saknas") comes from the support level shown on the profile and is
# not health data.
HEALTH_CODES = frozenset({"physical", "access"})


def _log_health_derived_read(p: Participant, shown_codes: list[tuple[str, ...]]) -> None:
    """An exclusion for physical demands or missing accessibility tells what the participant
    cannot do or needs: showing one is a sensitive read and is logged like one
    (privacy.reveal). A page that shows none logs nothing."""
    if any(HEALTH_CODES.intersection(codes) for codes in shown_codes):
        privacy.reveal(current_user, p, ("cannot", "needs"), ip=request.remote_addr or "")
        Session.commit()


def _back(participant_id: int, **kw: Any) -> Any:
    return redirect(url_for("coach.suggestions", participant_id=participant_id, **kw))


def _manual_choices(
    participant: Participant, q: str = "", limit: int | None = 60, only: int | None = None
) -> list[Any]:
    """Best fit first, then nearest; whether an offer breaks a constraint is said, which one is
    not (that is read from health fields and shown, logged, only once the coach picks it)."""
    rows = [option("", _("Välj en plats"))]
    for c in manual_matches.manual_candidates(participant, q, limit, only=only):
        km = f", {round(c.distance_km)} km" if c.distance_km is not None else ""
        fit = _("passar villkoren") if c.feasible else _("bryter mot villkoren")
        rows.append(option(c.offer_id, f"{c.title} – {c.employer}, {c.municipality}{km} ({fit})"))
    return rows


@bp.route("/participants/<int:participant_id>/suggestions", endpoint="suggestions")
def suggestions_page(
    participant_id: int,
    manual_form: ManualMatchForm | None = None,
    manual_check: Any = None,
    status: int = 200,
    manual_codes: tuple[tuple[str, ...], ...] = (),
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
    manual_q = request.args.get("manual_q", "")[:100]
    form = manual_form
    if form is None:
        form = ManualMatchForm(prefix="manual", formdata=None)
        form.offer_id.choices = _manual_choices(p, manual_q)
    why = None
    shown_codes: list[tuple[str, ...]] = list(manual_codes)
    if request.args.get("why") == "1":
        found = suggestions.exclusions(p, top=15)
        shown_codes += [tuple(e.codes) for e in found]
        why = [
            (Session.get(Offer, int(e.offer_id)), e.distance_km, exclusion_text(e.codes))
            for e in found
        ]
    _log_health_derived_read(p, shown_codes)
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
        manual_q=manual_q,
        forms_for=_forms_for,
        rendered=rendered,
        component_labels=COMPONENT_LABELS,
        status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS,
        rejected_count=sum(1 for m in rows if m.status == "rejected"),
        referred=planning.referred_match_ids([m.id for m in suggested]),
        placed=any(m.status in PLACED_STATUSES for m in rows),
        undoable=undoable(request.args.get("decided", "")),
        undo_minutes=workflow.UNDO_MINUTES,
    ), status


@bp.post("/participants/<int:participant_id>/suggestions/refresh")
def refresh(participant_id: int) -> Any:
    p = access.participant(current_user, participant_id)
    if request.form.get("reconsider") == "1":
        result = suggestions.refresh_participant(p.id, reconsider_rejected=True, actor=current_user)
        n = result.reconsidered if result else 0
        flash(
            ngettext(
                "%(num)s avvisat förslag visas igen.", "%(num)s avvisade förslag visas igen.", n
            )
        )
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


def _decide(
    match_id: int, form_cls: type, action: Any, prefix: str = "", undo: bool = False
) -> Any:
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
    return _back(m.participant_id, decided=m.id) if undo else _back(m.participant_id)


@bp.post("/matches/<int:match_id>/approve")
def approve(match_id: int) -> Any:
    def act(m: Match, form: ApproveForm) -> None:
        workflow.approve(m, current_user, form.note.data or "", send=True)
        flash(_("Förslaget är godkänt och skickat till deltagaren."))

    return _decide(match_id, ApproveForm, act, "a", undo=True)


@bp.post("/matches/<int:match_id>/reject")
def reject(match_id: int) -> Any:
    def act(m: Match, form: RejectForm) -> None:
        workflow.reject(m, current_user, form.reason.data, form.note.data or "")
        flash(_("Förslaget är avvisat."))

    return _decide(match_id, RejectForm, act, "r", undo=True)


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
    # The posted choice is checked against the candidates on its own, not the whole list.
    posted = request.form.get("manual-offer_id", "")
    only = int(posted) if posted.isdigit() and len(posted) < 10 else 0
    chosen = _manual_choices(p, limit=None, only=only)
    form.offer_id.choices = chosen

    def shown() -> list[Any]:
        """The list shown again after a refusal: the usual one, the posted offer kept in it."""
        rows = _manual_choices(p)
        return rows + [c for c in chosen[1:] if c.value not in {r.value for r in rows}]

    if not form.validate_on_submit():
        form.offer_id.choices = shown()
        return suggestions_page(p.id, manual_form=form, status=400)
    offer = access.offer(current_user, form.offer_id.data)
    try:
        manual_matches.manual_match(
            p, offer, current_user, form.note.data or "", override=bool(form.override.data)
        )
    except NotAllowed:
        abort(404)
    except WorkflowError as err:
        conflicts = None
        if isinstance(err, manual_matches.Conflict):
            conflicts = exclusion_text(err.codes)
            form.offer_id.errors = [
                _(
                    "Platsen bryter mot deltagarens villkor: %(what)s. Kryssa i att du ändå vill "
                    "föreslå den och skriv varför.",
                    what=conflicts,
                )
            ]
        else:
            form.offer_id.errors = [str(err)]
        codes = (tuple(err.codes),) if isinstance(err, manual_matches.Conflict) else ()
        form.offer_id.choices = shown()
        return suggestions_page(
            p.id, manual_form=form, manual_check=conflicts, status=422, manual_codes=codes
        )
    flash(_("Platsen är föreslagen för deltagaren."))
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
    args = {k: v for k, v in request.args.items() if k not in ("page", "job", "decided")}
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
        more=result.more,
        job=job,
        job_id=job_id,
        rendered=rendered,
        kind_labels=KIND_LABELS,
        args=args,
        decide_form=QueueDecisionForm(formdata=None),
        undoable=undoable(request.args.get("decided", "")),
        undo_minutes=workflow.UNDO_MINUTES,
    )


def undoable(decided: str) -> list[Match]:
    """The coach's just-decided matches (`?decided=1,2`) that can still be undone."""
    ids = [int(x) for x in decided.split(",")[:100] if x.isdigit()]
    rows = Session.scalars(access.visible_matches(current_user).where(Match.id.in_(ids))).all()
    return [m for m in rows if workflow.undo_refusal(m, current_user) is None]


def _ids(values: list[str]) -> list[int]:
    try:
        return [int(v) for v in values][:200]
    except ValueError:
        abort(400)


@bp.post("/suggestions/decide")
def decide_many() -> Any:
    """Approve or reject the ticked suggestions (or one, from its row's button), each through
    the workflow; then back to the queue with an undo for what was just decided."""
    form = QueueDecisionForm()
    if not form.validate_on_submit():
        abort(400)
    one = request.form.get("one", "")
    if one:
        action, _sep, raw = one.partition(":")
        ids = _ids([raw])
    else:
        action, ids = request.form.get("action", ""), _ids(request.form.getlist("ids"))
    back = request.form.get("back", "")
    back = (
        back if back.startswith("/coach/") and not back.startswith("//") else url_for("coach.queue")
    )
    if action not in ("approve", "reject"):
        abort(400)
    if not ids:
        flash(_("Kryssa i minst ett förslag."), "error")
        return redirect(back), 303
    if action == "reject" and not form.reason.data:
        flash(_("Välj ett skäl för att avvisa."), "error")
        return redirect(back), 303
    result = suggestion_queue.decide_many(
        current_user, ids, action, reason=form.reason.data or "", note=form.note.data or ""
    )
    if result.done:
        n = len(result.done)
        flash(
            ngettext(
                "%(num)s förslag är godkänt och skickat.",
                "%(num)s förslag är godkända och skickade.",
                n,
            )
            if action == "approve"
            else ngettext("%(num)s förslag är avvisat.", "%(num)s förslag är avvisade.", n),
            "success",
        )
    for match_id, why in result.refused:
        flash(
            _("Förslag nr %(id)s gick inte: %(why)s", id=match_id, why=why or _("finns inte")),
            "error",
        )
    decided = ",".join(str(m.id) for m in result.done)
    sep = "&" if "?" in back else "?"
    return redirect(f"{back}{sep}decided={decided}" if decided else back), 303


@bp.post("/suggestions/undo")
def undo_many() -> Any:
    if not QueueDecisionForm().validate_on_submit():
        abort(400)
    ids = _ids(request.form.getlist("ids"))
    result = suggestion_queue.decide_many(current_user, ids, "undo")
    if result.done:
        flash(
            ngettext("%(num)s beslut är ångrat.", "%(num)s beslut är ångrade.", len(result.done)),
            "success",
        )
    for match_id, why in result.refused:
        flash(
            _(
                "Förslag nr %(id)s gick inte att ångra: %(why)s",
                id=match_id,
                why=why or _("finns inte"),
            ),
            "error",
        )
    back = request.form.get("back", "")
    back = (
        back if back.startswith("/coach/") and not back.startswith("//") else url_for("coach.queue")
    )
    return redirect(back), 303


@bp.post("/suggestions/refresh")
def refresh_caseload() -> Any:
    if current_user.unit_id is None:
        abort(404)
    job_id = suggestions.schedule_refresh_for_unit(current_user.unit_id, current_user.id)
    Session.commit()
    flash(_("Förslagen för hela ärendelistan uppdateras."))
    return redirect(url_for("coach.queue", job=job_id))
