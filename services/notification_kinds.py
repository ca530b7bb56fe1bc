"""Every notification kind, in one place, known to the web app, the worker and the CLI alike.

Each kind has its words (Swedish here, English in the `web/translations` catalogue, both chosen
when shown), the e-mail template its copy is rendered from (`web/templates/email/<name>.<lang>
.txt`, or none when it stays in the app), and the parameters that make two notifications the same
event. This module imports nothing of the app, so a worker that never loaded a page still shows a
reminder in words rather than as its raw kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class Kind:
    text: LazyString
    email: str | None = "other"  # the e-mail template; None: shown in the app only
    same_event: tuple[str, ...] = ("match_id",)  # with the kind and recipient: one notification


KINDS: dict[str, Kind] = {
    "proposal.new": Kind(
        _l("Du har fått ett förslag på arbetsplats: %(offer)s hos %(employer)s."),
        email="proposal_new",
    ),
    "proposal.withdrawn": Kind(
        _l("Din coach har tagit tillbaka förslaget %(offer)s hos %(employer)s.")
    ),
    "answer.participant_yes": Kind(
        _l("%(participant)s är intresserad av %(offer)s hos %(employer)s."),
        email="answer",
    ),
    "answer.participant_no": Kind(
        _l("%(participant)s tackade nej till %(offer)s hos %(employer)s."),
        email="answer",
    ),
    "answer.employer_yes": Kind(
        _l("%(employer)s tackade ja till praktiken %(offer)s."), email="answer"
    ),
    "answer.employer_no": Kind(
        _l("%(employer)s tackade nej till praktiken %(offer)s."), email="answer"
    ),
    "candidate.interested": Kind(
        _l("%(candidate)s är intresserad av %(offer)s. Svara gärna snart."),
        email="candidate_interested",
    ),
    "candidate.withdrawn": Kind(_l("Coachen har tagit tillbaka en kandidat till %(offer)s.")),
    "candidate.released": Kind(_l("En kandidat till %(offer)s har fått en annan plats.")),
    # The placement agreement (`services.agreements`): once per version and person.
    "agreement.confirm_participant": Kind(
        _l("Läs och bekräfta överenskommelsen för din praktik %(offer)s hos %(employer)s."),
        email="agreement",
        same_event=("match_id", "version"),
    ),
    "agreement.confirm_employer": Kind(
        _l("Läs och bekräfta överenskommelsen för %(candidate)s på %(offer)s."),
        email="agreement",
        same_event=("match_id", "version"),
    ),
    "agreement.confirmed": Kind(
        _l(
            "Överenskommelsen för %(participant)s på %(offer)s hos %(employer)s är bekräftad av "
            "alla. Praktiken kan börja."
        ),
        email="agreement",
        same_event=("match_id", "version"),
    ),
    # The employer's answer (`jobs.employer_reminders`): once per candidate and step.
    "candidate.reminder": Kind(
        _l("%(candidate)s har väntat på ert svar om %(offer)s i %(days)s arbetsdagar."),
        email="reminder",
    ),
    "candidate.unanswered": Kind(
        _l(
            "%(employer)s har inte svarat om %(participant)s på %(offer)s på %(days)s "
            "arbetsdagar. Ring gärna arbetsgivaren."
        ),
        email="reminder",
    ),
    "employer.verified": Kind(
        _l(
            "%(employer)s är granskad och godkänd. Nu kan ni publicera era platser "
            "(%(drafts)s utkast)."
        ),
        email="verified",
        same_event=("employer_id",),
    ),
    # ... when drafts the employer chose to publish at once were published on verification.
    "employer.verified_published": Kind(
        _l(
            "%(employer)s är granskad och godkänd. %(published)s platser publicerades direkt, "
            "som ni valde (%(drafts)s utkast kvar)."
        ),
        email="verified",
        same_event=("employer_id",),
    ),
    # A coach's message to a participant (`services.messages`); the e-mail says only that one
    # is waiting. Every message is its own event.
    "coach.message": Kind(
        _l("Meddelande från din coach %(sender)s: %(text)s"),
        email="message",
        same_event=("message_id",),
    ),
    # The supervisor's assessment (`services.supervisor_assessments`): once per placement and stage.
    "assessment.supervisor_done": Kind(
        _l("Handledaren har bedömt %(participant)s på %(offer)s hos %(employer)s."),
        email="assessment",
        same_event=("match_id", "stage"),
    ),
    "assessment.for_participant": Kind(
        _l("Din handledare på %(employer)s har skrivit vad du har gjort bra. Läs det här."),
        email="assessment",
        same_event=("match_id", "stage"),
    ),
    "assessment.supervisor_missing": Kind(
        _l("Handledarens bedömning för %(offer)s saknas. Den tar två minuter."),
        email="assessment",
        same_event=("match_id", "stage"),
    ),
    "assessment.supervisor_missing_coach": Kind(
        _l("Handledarens bedömning av %(participant)s på %(offer)s saknas."),
        email=None,
        same_event=("match_id", "stage"),
    ),
    # Outcome follow-ups after exit (`services.follow_ups`): once per participant and step.
    "followup.due": Kind(
        _l("Dags att följa upp %(participant)s (uppföljning från %(due_on)s)."),
        email=None,
        same_event=("participant_id", "step"),
    ),
    # The daily reminder (`jobs.reminders`): once per participant and due date, no e-mail.
    "assessment.due": Kind(
        _l(
            "Dags att mäta progression för deltagare nr %(participant_id)s (skulle mätas %(due_on)s)."
        ),
        email=None,
        same_event=("participant_id", "due_on"),
    ),
    # A manager or coordinator referred a planning round's line to the participant's coach
    # (`services.planning.refer_lines`); the coach decides. In the app only.
    "planning.referred": Kind(
        _l("%(by)s föreslår %(offer)s hos %(employer)s för %(participant)s. Du avgör."),
        email=None,
    ),
    # GDPR art. 16 with the art. 12(3) deadline; in the app only (no e-mail template).
    "correction.requested": Kind(
        _l(
            "Deltagare nr %(participant_id)s ber om rättelse av sina uppgifter. "
            "Svara senast %(due_on)s."
        ),
        email=None,
        same_event=("correction_id",),
    ),
    "correction.answered": Kind(
        _l("Din coach har svarat på din begäran om rättelse."),
        email=None,
        same_event=("correction_id",),
    ),
}
