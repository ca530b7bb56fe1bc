"""Typeahead over the competence vocabulary, for the term inputs of offers and participants."""

from __future__ import annotations

from flask import request

from services import vocabulary
from web import current_lang
from web.api.blueprint import bp

MAX_PREFIX = 80


@bp.route("/vocab")
def vocab_suggest() -> dict[str, object]:
    """`?q=städ&kind=skill` → up to 10 concepts whose label or synonym starts like `q`."""
    prefix = (request.args.get("q") or "")[:MAX_PREFIX]
    kind = request.args.get("kind", "")
    try:
        limit = max(1, min(20, int(request.args.get("limit", "10"))))
    except ValueError:
        limit = 10
    lang = current_lang()
    found = vocabulary.active().suggest(prefix, limit=limit * 2 if kind else limit, lang=lang)
    if kind in ("skill", "occupation"):
        found = [c for c in found if c.kind == kind]
    return {
        "query": prefix,
        "suggestions": [
            {"id": c.id, "label": c.label(lang), "kind": c.kind} for c in found[:limit]
        ],
    }
