"""Verifying new employers: the same two views on the coach's and the admin's blueprint.

A coach or an admin looks at a newly registered organisation (name, organisation number, contact)
and verifies it; only then can its offers be published.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from services import employers


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/employers/unverified", "employers_unverified", unverified_list)
    bp.add_url_rule(
        "/employers/<int:employer_id>/verify", "employer_verify", verify, methods=["POST"]
    )


def unverified_list() -> str:
    return render_template(
        "review/employers.html",
        employers=employers.unverified(current_user),
        verify_endpoint=f"{request.blueprint}.employer_verify",
        workplaces_of=employers.workplaces_of,
    )


def verify(employer_id: int) -> object:
    employer = employers.verify(current_user, employer_id)
    if employer is None:
        abort(404)
    flash(_l("%(name)s är granskad. Deras platser kan nu publiceras.", name=employer.name), "info")
    return redirect(url_for(f"{request.blueprint}.employers_unverified")), 303
