"""Report pages, their CSV/XLSX downloads, and reports built as background jobs."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from jobs.reports import build_report
from models import JobRun, Session
from services.queue import enqueue, task_name
from services.reports import build as builder
from services.reports.files import to_csv, to_xlsx
from services.reports.pdf import to_pdf
from services.reports.scope import Filters, Scope, ScopeError, participants_query, scope_for
from web import current_lang
from web.reports.about import about_rows
from web.reports.blueprint import bp
from web.reports.forms import FilterForm, filter_form
from web.reports.present import TITLES, charts, tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind_or_404(kind: str) -> str:
    if kind not in builder.KINDS:
        abort(404)
    return kind


def _scope(form: FilterForm) -> Scope:
    unit_id = (
        form.unit_id.data if current_user.role == "admin" and current_user.unit_id is None else ""
    )
    filters = Filters(
        start=form.start.data,
        end=form.end.data,
        unit_id=int(unit_id) if unit_id else None,
        municipality=form.municipality.data or "",
        target_group=form.target_group.data or "",
        support_level=int(form.support_level.data) if form.support_level.data else None,
        whole_unit=current_user.role == "coach" and form.scope.data == "unit",
    )
    try:
        return scope_for(current_user, filters)
    except ScopeError:
        abort(404)


@bp.route("/")
def index() -> str:
    return render_template("reports/index.html", titles=TITLES)


@bp.route("/<kind>")
def report(kind: str) -> Any:
    kind = _kind_or_404(kind)
    form = filter_form(current_user, request.args)
    if request.args and not form.validate():
        return render_template(
            "reports/report.html", kind=kind, title=TITLES[kind], form=form, report=None
        ), 400
    scope = _scope(form)
    large = _population(scope) > builder.LARGE_SCOPE
    data = None if large else builder.build(kind, scope, date.today())
    return render_template(
        "reports/report.html",
        kind=kind,
        title=TITLES[kind],
        form=form,
        report=data,
        large=large,
        tables=tables(data) if data else [],
        charts=charts(data) if data else [],
        query=request.query_string.decode(),
    )


def _population(scope: Scope) -> int:
    query = participants_query(scope).order_by(None).subquery()
    return Session.scalar(select(func.count()).select_from(query)) or 0


@bp.route("/<kind>.<fmt>")
def download(kind: str, fmt: str) -> Response:
    kind = _kind_or_404(kind)
    form = filter_form(current_user, request.args)
    if fmt not in FORMATS or (request.args and not form.validate()):
        abort(400 if fmt in FORMATS else 404)
    data = builder.build(kind, _scope(form), date.today())
    return _file(kind, data, fmt)


FORMATS = ("csv", "xlsx", "pdf")


def _file(kind: str, data: dict[str, Any], fmt: str) -> Response:
    """The report as a file, headed by its period, unit, filters and when it was made."""
    parts = [t.as_tuple() for t in tables(data)]
    name = f"{kind}-{data['as_of']}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    lang = current_lang()
    about = about_rows(TITLES[kind], Scope.from_json(data["scope"]), data)
    if fmt == "csv":
        return Response(
            to_csv(parts, lang=lang, about=about),
            mimetype="text/csv; charset=utf-8",
            headers=headers,
        )
    if fmt == "pdf":
        return Response(
            to_pdf(str(TITLES[kind]), parts, about=about, lang=lang),
            mimetype="application/pdf",
            headers=headers,
        )
    return Response(
        to_xlsx(parts, about=about, about_title=_("Om rapporten")), mimetype=XLSX, headers=headers
    )


@bp.route("/<kind>/job", methods=["POST"])
def start_job(kind: str) -> Any:
    """Build the report in the background; the job page shows progress and then the result."""
    kind = _kind_or_404(kind)
    form = filter_form(current_user, request.form)
    if not form.validate():
        return render_template(
            "reports/report.html", kind=kind, title=TITLES[kind], form=form, report=None
        ), 400
    scope = _scope(form)
    job_id = enqueue(
        build_report,
        kind,
        scope.to_json(),
        date.today().isoformat(),
        title=_("Rapport: %(title)s", title=TITLES[kind]),
        requested_by_id=current_user.id,
    )
    Session.commit()
    return redirect(url_for("reports.job", job_id=job_id))


def _own_run(job_id: str) -> JobRun:
    run = Session.get(JobRun, job_id[:64])
    if run is None or run.name != task_name(build_report) or run.requested_by_id != current_user.id:
        abort(404)
    return run


@bp.route("/jobs/<job_id>")
def job(job_id: str) -> str:
    run = _own_run(job_id)
    data = run.result if run.status == "done" and run.result.get("kind") else None
    return render_template(
        "reports/job.html",
        run=run,
        report=data,
        title=TITLES[data["kind"]] if data else run.title,
        tables=tables(data) if data else [],
        charts=charts(data) if data else [],
    )


@bp.route("/jobs/<job_id>.<fmt>")
def job_download(job_id: str, fmt: str) -> Response:
    run = _own_run(job_id)
    if fmt not in FORMATS or run.status != "done" or not run.result.get("kind"):
        abort(404)
    return _file(run.result["kind"], run.result, fmt)
