"""Why an offer was suggested, and what is missing, as structured reasons a coach can read.

A reason is a code and parameters, not a sentence: the web app renders it in the reader's
language, the database stores `{code, params}`, and the file CLI writes English. Templates for
every code live here, in Swedish and English, so a new reason cannot be added without its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGS = ("sv", "en")

_LABELS = {
    "low_pace_possible": ("låg takt möjlig", "low pace possible"),
    "supervisor_trained": ("utbildad handledare", "trained supervisor"),
    "arbetstraning": ("arbetsträning", "work training"),
    "flexible_hours": ("flexibla tider", "flexible hours"),
}

_EXCLUSIONS = {
    "distance": ("för långt hemifrån", "too far from home"),
    "hours": ("timmarna passar inte", "hours do not overlap"),
    "swedish": ("kräver mer svenska", "needs more Swedish"),
    "licence": ("kräver körkort", "requires a driving licence"),
    "physical": ("fysiska krav personen ska undvika", "physical demands the person must avoid"),
    "access": ("saknar anpassning personen behöver", "lacks accessibility the person needs"),
    "capacity": ("inga lediga platser", "no open places"),
    # a coach's manual match (services.manual_matches) can also meet these two
    "location": ("platsen saknar läge på kartan", "the workplace has no location"),
    "not_published": ("platsen är inte publicerad", "the offer is not published"),
    # the employer's cap on open candidates (the app's services.candidate_cap)
    "candidate_cap": (
        "arbetsgivaren tar inte emot fler kandidater just nu",
        "the employer takes no more candidates just now",
    ),
}


def _as(params: dict, sv: bool) -> str:
    via = params.get("as")
    if not via:
        return ""
    return f" (som ”{via}”)" if sv else f" (as '{via}')"


def _labels(params: dict, sv: bool) -> str:
    items = params.get("items", ())
    return ", ".join(_LABELS.get(i, (i, i))[0 if sv else 1] for i in items)


def _number(value: float, sv: bool) -> str:
    """7.5 as "7,5" in Swedish (decimal comma), 25.0 as "25"."""
    text = f"{value:g}"
    return text.replace(".", ",") if sv else text


def _hours(params: dict, sv: bool) -> str:
    lo, hi = _number(params["min"], sv), _number(params["max"], sv)
    return lo if lo == hi else f"{lo}–{hi}"


def _km(km: float) -> str:
    return f"{km:.1f}".replace(".", ",") if km < 10 else f"{km:.0f}"


def _limit(params: dict, sv: bool) -> str:
    limit = params.get("limit")
    if limit is None:
        return ""
    return f" (gräns {_number(limit, True)} km)" if sv else f" (limit {limit:g} km)"


# code -> (Swedish, English) renderers
_TEMPLATES: dict[str, tuple[Any, Any]] = {
    "skill_required": (
        lambda p: f"har det som krävs: {p['skill']}{_as(p, True)}",
        lambda p: f"matches required skill '{p['skill']}'{_as(p, False)}",
    ),
    "skill_desired": (
        lambda p: f"har det som önskas: {p['skill']}{_as(p, True)}",
        lambda p: f"matches desired skill '{p['skill']}'{_as(p, False)}",
    ),
    "interest": (
        lambda p: f"intresse: {p['interest']} passar {p['occupation']}",
        lambda p: f"interest '{p['interest']}' fits '{p['occupation']}'",
    ),
    "related_occupation": (
        lambda p: f"närliggande yrke: {p['occupation']} (utifrån {p['from']})",
        lambda p: f"related occupation: '{p['occupation']}' (from '{p['from']}')",
    ),
    "similar_title": (
        lambda p: f"yrkestiteln liknar önskemålet: {p['interest']}",
        lambda p: f"the job title resembles what the person wants: '{p['interest']}'",
    ),
    "similar_text": (
        lambda p: "beskrivningen liknar profilen",
        lambda p: "the description resembles the profile",
    ),
    "near": (
        lambda p: f"nära hemmet: {_km(p['km'])} km",
        lambda p: f"close to home: {_km(p['km'])} km",
    ),
    # Kept only to render reasons stored before engine matcher-2026.12b; never produced now,
    # and not a reason "why it fits": a plain distance is a fact, shown beside the suggestion.
    "distance": (
        lambda p: f"{p['km']:.0f} km hemifrån",
        lambda p: f"{p['km']:.0f} km from home",
    ),
    "hours": (
        lambda p: f"timmar passar: {_hours(p, True)} h/vecka",
        lambda p: f"hours fit: {_hours(p, False)} h/week",
    ),
    "support": (
        lambda p: f"stöd på plats: {_labels(p, True)}",
        lambda p: f"support on site: {_labels(p, False)}",
    ),
    "employment": (
        lambda p: "kan leda till anställning" if p["value"] == "yes" else "kan leda till jobb",
        lambda p: "leads to employment" if p["value"] == "yes" else "may lead to employment",
    ),
    # gaps
    "missing_required": (
        lambda p: f"saknar: {p['skill']} (krav)",
        lambda p: f"missing: {p['skill']} (required)",
    ),
    "missing_desired": (
        lambda p: f"saknar: {p['skill']} (önskat)",
        lambda p: f"missing: {p['skill']} (desired)",
    ),
    "support_missing": (
        lambda p: f"stöd saknas: {_labels(p, True)}",
        lambda p: f"no support for: {_labels(p, False)}",
    ),
    "far": (
        lambda p: f"långt att resa: {_km(p['km'])} km hemifrån{_limit(p, True)}",
        lambda p: f"a long way to travel: {_km(p['km'])} km from home{_limit(p, False)}",
    ),
    "hours_partial": (
        lambda p: f"timmarna passar bara delvis: {_hours(p, True)} h/vecka",
        lambda p: f"hours overlap only partly: {_hours(p, False)} h/week",
    ),
    # Set by the app after ranking (services.ranking_adjust), not by the engine's scoring.
    "confirmed_skill": (
        lambda p: f"bekräftat av handledare: {p['skill']}",
        lambda p: f"confirmed by a supervisor: {p['skill']}",
    ),
    "employer_backlog": (
        lambda p: (
            "arbetsgivaren har 1 obesvarad kandidat"
            if p["count"] == 1
            else f"arbetsgivaren har {p['count']} obesvarade kandidater"
        ),
        lambda p: f"the employer has {p['count']} unanswered candidates",
    ),
    "excluded": (
        lambda p: "; ".join(_EXCLUSIONS[c][0] for c in p["codes"]),
        lambda p: "; ".join(_EXCLUSIONS[c][1] for c in p["codes"]),
    ),
}

CODES: frozenset[str] = frozenset(_TEMPLATES)


@dataclass(frozen=True)
class Reason:
    """One reason or gap: `code` from CODES, `params` plain JSON-able values."""

    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in _TEMPLATES:
            raise ValueError(f"unknown reason code {self.code!r}")

    def render(self, lang: str = "sv") -> str:
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
        return _TEMPLATES[self.code][0 if lang == "sv" else 1](self.params)

    def to_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict) -> Reason:
        return cls(data["code"], dict(data.get("params", {})))

    def __hash__(self) -> int:
        return hash((self.code, repr(sorted(self.params.items()))))


def exclusion_text(codes, lang: str = "sv") -> str:
    """Why a pair is excluded, in the reader's language: "too far from home; needs more Swedish"."""
    return Reason("excluded", {"codes": list(codes)}).render(lang) if codes else ""


def render_all(reasons, lang: str = "sv") -> list[str]:
    return [r.render(lang) if isinstance(r, Reason) else str(r) for r in reasons]


# -- reasons for one scored pair -------------------------------------------------------------

SIMILAR_TEXT_AT = 0.6  # the text component above which "resembles the profile" is worth saying
SIMILAR_TITLE_AT = 0.5  # the title cosine above which the title "resembles what the person wants"

# Distance is a reason "why it fits" only when the offer is near, and a gap when it is long for
# this person; in between it is a plain fact (`Suggestion.distance_km`), never a selling point.
NEAR_KM = 10.0  # near: within this, and within NEAR_SHARE of the person's limit when they have one
NEAR_SHARE = 0.5
FAR_SHARE = 0.75  # far: beyond this share of the person's limit (own or the unit's default) ...
FAR_WITHOUT_LIMIT_KM = 50.0  # ... or, with no limit at all, beyond this (a long daily commute)


def distance_reason(distance_km: float, max_km: float) -> tuple[str, dict] | None:
    """("near" | "far", params) for one distance and the person's effective limit (inf for
    none), or None when the distance is neither."""
    limited = max_km != float("inf")
    near = min(NEAR_KM, NEAR_SHARE * max_km) if limited else NEAR_KM
    if distance_km <= near:
        return "near", {"km": round(distance_km, 1)}
    far = max(FAR_SHARE * max_km, NEAR_KM) if limited else FAR_WITHOUT_LIMIT_KM
    if distance_km > far:
        params = {"km": round(distance_km, 1)}
        if limited:
            params["limit"] = round(float(max_km), 1)
        return "far", params
    return None


def _same_words(a: str, b: str) -> bool:
    from matcher.vocab import normalise

    return normalise(a) == normalise(b)


def pair_reasons(pf, of, components: dict[str, float], distance_km: float):
    """(reasons, gaps) for one participant (features) and one offer (features), strongest
    first: required skills, occupation, desired skills, near, hours, support, employment.
    Distance is a reason only when near and a gap when far (`distance_reason`)."""
    reasons: list[Reason] = []
    gaps: list[Reason] = []
    for code, gap_code, terms in (
        ("skill_required", "missing_required", of.required),
        ("skill_desired", "missing_desired", of.desired),
    ):
        for key, term, _conf in terms:
            mine = pf.skills.get(key)
            if mine is None:
                gaps.append(Reason(gap_code, {"skill": term}))
            else:
                via = None if _same_words(mine[0], term) else mine[0]
                reasons.append(Reason(code, {"skill": term, "as": via}))
    reasons.sort(key=lambda r: r.code != "skill_required")  # stable: required first
    occ = _occupation_reason(pf, of)
    if occ is None and components.get("title", 0.0) >= SIMILAR_TITLE_AT:
        occ = _title_reason(pf, of)
    if occ is not None:
        at = next((i for i, r in enumerate(reasons) if r.code != "skill_required"), len(reasons))
        reasons.insert(at, occ)
    found = distance_reason(distance_km, pf.constraints.max_km)
    if found is not None:
        code, params = found
        (reasons if code == "near" else gaps).append(Reason(code, params))
    offer, person = of.offer, pf.participant
    if offer.hours_per_week is not None and person.hours_per_week is not None:
        lo = max(offer.hours_per_week.min, person.hours_per_week.min)
        hi = min(offer.hours_per_week.max, person.hours_per_week.max)
        code = "hours" if components.get("hours", 1.0) >= 0.999 else "hours_partial"
        (reasons if code == "hours" else gaps).append(Reason(code, {"min": lo, "max": hi}))
    level = pf.support_level
    if level in (1, 2):
        wanted = ("low_pace_possible", "supervisor_trained") + (
            ("arbetstraning",) if level == 1 else ()
        )
        given = [s for s in wanted if of.signals.get(_SIGNAL.get(s, s))]
        missing = [s for s in wanted if s not in given and level == 1]
        if given:
            reasons.append(Reason("support", {"items": given}))
        if missing:
            gaps.append(Reason("support_missing", {"items": missing}))
    if offer.leads_to_employment in ("yes", "maybe"):
        reasons.append(Reason("employment", {"value": offer.leads_to_employment}))
    if components.get("text", 0.0) >= SIMILAR_TEXT_AT:
        reasons.append(Reason("similar_text", {}))
    return tuple(reasons), tuple(gaps)


_SIGNAL = {"arbetstraning": "work_training"}


def _occupation_reason(pf, of) -> Reason | None:
    """Why the occupation fits: the participant's strongest link to any of the offer's."""
    best = None
    for occ_id in of.occupation_ids:
        link = pf.occupations.get(occ_id)
        if link is not None and (best is None or link[0] > best[0]):
            best = link
    if best is None:
        return None
    _weight, how, term, via = best
    if how == "related":
        return Reason("related_occupation", {"occupation": of.occupation_label, "from": term})
    if how == "interest":
        return Reason("interest", {"interest": term, "occupation": of.occupation_label})
    return None


def _title_reason(pf, of) -> Reason | None:
    """The interest whose text is closest to the offer's title (the vocabulary knew neither)."""
    from rapidfuzz import fuzz, utils

    interests = [t for t in pf.participant.interests if t and t.strip()]
    if not interests:
        return None
    title = of.offer.title
    best = max(
        interests,
        key=lambda t: fuzz.token_set_ratio(t, title, processor=utils.default_process),
    )
    return Reason("similar_title", {"interest": best})


def build_suggestion(pf, of, rank: int, score: float, components: dict, distance_km: float):
    from matcher.types import Suggestion

    reasons, gaps = pair_reasons(pf, of, components, distance_km)
    return Suggestion(
        participant_id=pf.participant.id,
        offer_id=of.offer.id,
        rank=rank,
        score=round(float(score), 6),
        components={k: round(float(v), 4) for k, v in components.items()},
        reasons=reasons,
        gaps=gaps,
        distance_km=round(float(distance_km), 3),
    )
