"""Who may see which personal data, and the log of every sensitive read.

Health-related constraints are special-category data (GDPR art. 9) and the personnummer may be
held only when justified: they are shown only to those who need them, and every read is written
to the audit log. Employers see only what the participant consented to share, and never health
details: at most the adjustments the workplace needs to make (JO 1029-2017, OSL 26:1).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from models import Participant, Session, User, crypto
from models.identity import mask_personnummer
from services import audit

SENSITIVE_FIELDS = ("cannot", "needs", "health_notes", "personnummer")
PROTECTED_LABEL = "Skyddad identitet"


def can_see_sensitive(user: User, participant: Participant) -> bool:
    """The unit's coaches (who work with the person) and the participant themself."""
    if user.role == "coach":
        return user.unit_id == participant.unit_id
    if user.role == "participant":
        return participant.user_id == user.id
    return False


def can_see_identity(user: User, participant: Participant) -> bool:
    """Protected identity (skyddade personuppgifter): name and address only for the coach."""
    if not participant.protected_identity:
        return user.role in ("coach", "admin") or participant.user_id == user.id
    return (
        user.role == "coach" and user.id == participant.coach_id
    ) or participant.user_id == user.id


def display_name(user: User, participant: Participant) -> str:
    if can_see_identity(user, participant):
        return participant.display_name
    return f"{PROTECTED_LABEL} (#{participant.id})"


def reveal(
    user: User,
    participant: Participant,
    fields: tuple[str, ...] = SENSITIVE_FIELDS,
    *,
    ip: str = "",
) -> dict[str, Any]:
    """Return the sensitive fields asked for, and log the read. Raises PermissionError otherwise."""
    unknown = set(fields) - set(SENSITIVE_FIELDS)
    if unknown:
        raise ValueError(f"not sensitive fields: {sorted(unknown)}")
    if not can_see_sensitive(user, participant):
        audit.record(
            "participant.sensitive.denied",
            actor=user,
            subject=participant,
            details={"fields": list(fields)},
            ip=ip,
        )
        raise PermissionError("not allowed to see this participant's sensitive data")
    audit.record(
        "participant.sensitive.view",
        actor=user,
        subject=participant,
        details={"fields": list(fields)},
        ip=ip,
    )
    return {f: getattr(participant, f) for f in fields}


def masked_personnummer(participant: Participant) -> str:
    """For lists and headers: birth date only, no log needed since nothing identifying is shown."""
    return mask_personnummer(participant.personnummer)


# Accessibility needs are the only health-derived facts an employer may see, and only as the
# adjustment the workplace makes, with consent. `cannot` and `health_notes` never leave the unit.
ADJUSTMENT_FROM_NEED = {
    "step_free": "step_free",
    "accessible_toilet": "accessible_toilet",
    "hearing_loop": "hearing_loop",
    "quiet_space": "quiet_space",
    "adjustable_workstation": "adjustable_workstation",
    "flexible_hours": "flexible_hours",
    "low_pace_possible": "low_pace_possible",
    "supervisor_trained": "supervisor_trained",
    "public_transport_near": "public_transport_near",
}


def employer_view(participant: Participant) -> dict[str, Any]:
    """What an employer may see of a participant proposed to one of its offers.

    Only consented fields; never health notes, `cannot`, personnummer, address, or the name of a
    person with protected identity.
    """
    view: dict[str, Any] = {"id": participant.id}
    if participant.consents_to("name") and not participant.protected_identity:
        view["name"] = participant.display_name
    else:
        view["name"] = None
    if participant.consents_to("contact") and not participant.protected_identity:
        view["email"] = participant.email
        view["phone"] = participant.phone
    if participant.consents_to("skills"):
        view["skills"] = list(participant.skills or [])
    if participant.consents_to("interests"):
        view["interests"] = list(participant.interests or [])
    if participant.consents_to("swedish_level"):
        view["swedish_level"] = participant.swedish_level
    if participant.consents_to("licence"):
        view["driving_licence"] = participant.driving_licence
    if participant.consents_to("adjustments"):
        view["adjustments"] = sorted(
            ADJUSTMENT_FROM_NEED[n] for n in (participant.needs or []) if n in ADJUSTMENT_FROM_NEED
        )
    return view


# --- personnummer at rest (models.crypto) -------------------------------------------------------


def rotate_keys(batch: int = 500) -> int:
    """Re-encrypt every stored personnummer under the first key of PERSONNUMMER_KEYS and
    recompute its lookup hash with PERSONNUMMER_HASH_KEY; return how many rows were rewritten.

    Runs on the raw column (ciphertext in, ciphertext out): the plaintext never leaves this
    function. Safe to run twice. Raises crypto.WrongKey, changing nothing, when a row was
    encrypted with a key that is no longer in the ring.
    """
    db = Session()
    rows = db.execute(
        text(
            "SELECT id, personnummer_enc FROM participants WHERE personnummer_enc IS NOT NULL ORDER BY id"
        )
    ).all()
    updates = []
    for pid, token in rows:
        plain = crypto.decrypt(token)  # WrongKey before anything is written
        updates.append({"id": pid, "enc": crypto.rotate(token), "h": crypto.lookup_hash(plain)})
    statement = text(
        "UPDATE participants SET personnummer_enc = :enc, personnummer_hash = :h WHERE id = :id"
    )
    for start in range(0, len(updates), batch):
        db.execute(statement, updates[start : start + batch])
    audit.record("personnummer.keys_rotated", details={"rows": len(updates)})
    db.commit()
    return len(updates)
