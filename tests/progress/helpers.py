"""Small builders for the progression and plan tests."""

from __future__ import annotations

from models import Indicator, Session

BIP = (
    ("job_search", "Jobbsökande", "both"),
    ("health", "Hälsa", "both"),
    ("self_belief", "Tro på att klara ett jobb", "participant"),
    ("coach_belief", "Coachens tro", "coach"),
)


def default_indicators() -> dict[str, Indicator]:
    out = {}
    for pos, (key, label, who) in enumerate(BIP):
        indicator = Indicator(
            unit_id=None,
            key=key,
            label_sv=label,
            label_en=key,
            answered_by=who,
            anchors={
                "1": {"sv": "Inte alls", "en": "Not at all"},
                "5": {"sv": "Helt", "en": "Fully"},
            },
            position=pos,
        )
        Session.add(indicator)
        out[key] = indicator
    Session.flush()
    return out
