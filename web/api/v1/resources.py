"""The operations of `/api/v1`. Each one parses, calls one service (acting as the token's user,
with `services.access` deciding what they may see), and answers with a schema."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, or_, select

from models import Employer, Match, Offer, Participant, Placement, Session, Workplace
from services import access, employers, offers, workflow
from services.reports.build import build
from services.reports.scope import Filters
from services.suggestions import schedule_refresh_for_participant
from web.api.v1 import schemas as s
from web.api.v1.base import api_user


def _page(query: Any, args: dict[str, Any]) -> tuple[list[Any], dict[str, int]]:
    total = Session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(Session.scalars(query.limit(args["limit"]).offset(args["offset"])))
    return rows, {"total": total or 0, "limit": args["limit"], "offset": args["offset"]}


def _employer_user() -> Any:
    user = api_user()
    if user.role != "employer" or user.employer_id is None:
        raise access.AccessDenied("employers only", secret=False)
    return user


def _coach_user() -> Any:
    user = api_user()
    if user.role != "coach":
        raise access.AccessDenied("coaches only", secret=False)
    return user


# Operations for one role only, checked before the body is read (so a coach calling an
# employer's operation hears 403, not what is wrong with the body they sent).
ROLE_OF = {
    ("my_employer", "GET"): "employer",
    ("Workplaces", "GET"): "employer",
    ("Workplaces", "POST"): "employer",
    ("Offers", "POST"): "employer",
    ("OfferItem", "PUT"): "employer",
    ("offer_status", "POST"): "employer",
    ("offer_suggestions", "GET"): "coach",
    ("participants", "GET"): "coach",
    ("participant", "GET"): "coach",
    ("participant_suggestions", "GET"): "coach",
    ("refresh", "POST"): "coach",
    ("decide", "POST"): "coach",
}


# OpenAPI links from a created offer to the operations on it (for clients, and for schemathesis'
# stateful runs).
OFFER_LINKS = {
    name: {"operationRef": ref, "parameters": {"offer_id": "$response.body#/id"}}
    for name, ref in (
        ("GetOffer", "#/paths/~1api~1v1~1offers~1{offer_id}/get"),
        ("ReplaceOffer", "#/paths/~1api~1v1~1offers~1{offer_id}/put"),
        ("SetStatus", "#/paths/~1api~1v1~1offers~1{offer_id}~1status/post"),
    )
}


def check_role(endpoint: str, method: str, user: Any) -> None:
    role = ROLE_OF.get((endpoint.rpartition(".")[2], method))
    if role is not None and user.role != role:
        raise access.AccessDenied(f"{endpoint} is for {role}s", secret=False)


def register(bp: Blueprint) -> None:  # noqa: C901 - the URL table, one nested view per resource
    # --- employers and workplaces -------------------------------------------------------------

    @bp.route("/employers/me")
    @bp.response(200, s.EmployerSchema)
    def my_employer() -> Any:
        """The employer the token's user belongs to, with its workplaces."""
        user = _employer_user()
        return Session.get(Employer, user.employer_id)

    @bp.route("/workplaces")
    class Workplaces(MethodView):
        @bp.response(200, s.WorkplaceSchema(many=True))
        def get(self) -> Any:
            """The employer's workplaces."""
            return employers.workplaces_of(_employer_user().employer_id)

        @bp.arguments(s.WorkplaceSchema)
        @bp.response(201, s.WorkplaceSchema)
        def post(self, data: dict[str, Any]) -> Any:
            """Add a workplace (its address is placed on the map in the background)."""
            user = _employer_user()
            return employers.save_workplace(user, None, employers.WorkplaceData(**data))

    # --- offers ---------------------------------------------------------------------------------

    @bp.route("/offers")
    class Offers(MethodView):
        @bp.arguments(s.OfferFilter, location="query")
        @bp.response(200, s.OfferPage)
        def get(self, args: dict[str, Any]) -> Any:
            """Offers the caller may see: an employer its own, coaches and admins published ones."""
            query = access.visible_offers(api_user()).order_by(Offer.id)
            if args.get("status"):
                query = query.where(Offer.status == args["status"])
            if args.get("municipality"):
                query = query.join(Workplace, Offer.workplace_id == Workplace.id).where(
                    func.lower(Workplace.municipality) == args["municipality"].lower()
                )
            if args.get("q"):
                query = query.where(Offer.title.ilike(f"%{_like(args['q'])}%", escape="\\"))
            items, page = _page(query, args)
            return {"items": items, "page": page}

        @bp.arguments(s.OfferInSchema)
        @bp.response(201, s.OfferSchema)
        @bp.doc(responses={201: {"links": OFFER_LINKS}})
        def post(self, data: dict[str, Any]) -> Any:
            """Create an offer (a draft) for the caller's employer."""
            return offers.save_offer(_employer_user(), None, offers.OfferData(**data))

    @bp.route("/offers/<int:offer_id>")
    class OfferItem(MethodView):
        @bp.etag
        @bp.response(200, s.OfferSchema)
        def get(self, offer_id: int) -> Any:
            """One offer. Its ETag is what an update must send back in If-Match."""
            return access.offer(api_user(), offer_id)

        @bp.etag
        @bp.arguments(s.OfferInSchema)
        @bp.response(200, s.OfferSchema)
        def put(self, data: dict[str, Any], offer_id: int) -> Any:
            """Replace an offer; refused with 412 when it changed since the If-Match ETag."""
            user = _employer_user()
            found = access.offer(user, offer_id)
            bp.check_etag(found, s.OfferSchema)
            return offers.save_offer(user, found.id, offers.OfferData(**data))

    @bp.route("/offers/<int:offer_id>/status", methods=["POST"])
    @bp.arguments(s.StatusIn)
    @bp.response(200, s.OfferSchema)
    def offer_status(data: dict[str, Any], offer_id: int) -> Any:
        """Publish, pause or close an offer."""
        user = _employer_user()
        access.offer(user, offer_id)
        return offers.set_status(user, offer_id, data["status"])

    @bp.route("/offers/<int:offer_id>/suggestions")
    @bp.response(200, s.SuggestionList)
    def offer_suggestions(offer_id: int) -> Any:
        """The coach's unit's participants the engine suggests for this offer, best first."""
        user = _coach_user()
        access.offer(user, offer_id)
        rows = Session.scalars(
            access.visible_matches(user)
            .where(Match.offer_id == offer_id)
            .order_by(Match.score.desc().nulls_last(), Match.id)
            .limit(200)
        )
        return {"items": list(rows)}

    # --- participants and their suggestions ----------------------------------------------------

    @bp.route("/participants")
    @bp.arguments(s.ParticipantFilter, location="query")
    @bp.response(200, s.ParticipantPage)
    def participants(args: dict[str, Any]) -> Any:
        """The coach's unit's participants (no health details, no personnummer)."""
        user = _coach_user()
        query = access.visible_participants(user).order_by(Participant.id)
        if args.get("external_id"):
            query = query.where(Participant.external_id == args["external_id"])
        if args.get("municipality"):
            query = query.where(
                func.lower(Participant.municipality) == args["municipality"].lower()
            )
        if args.get("active") is not None:
            query = query.where(
                Participant.exited_on.is_(None)
                if args["active"]
                else Participant.exited_on.is_not(None)
            )
        if args.get("q"):
            like = f"%{_like(args['q'])}%"
            query = query.where(
                or_(
                    Participant.external_id.ilike(like, escape="\\"),
                    (Participant.first_name + " " + Participant.last_name).ilike(like, escape="\\")
                    & Participant.protected_identity.is_(False),
                )
            )
        items, page = _page(query, args)
        return {"items": [_participant_view(user, p) for p in items], "page": page}

    @bp.route("/participants/<int:participant_id>")
    @bp.etag
    @bp.response(200, s.ParticipantSchema)
    def participant(participant_id: int) -> Any:
        """One participant of the coach's unit."""
        user = _coach_user()
        return _participant_view(user, access.participant(user, participant_id))

    @bp.route("/participants/<int:participant_id>/suggestions")
    @bp.response(200, s.SuggestionList)
    def participant_suggestions(participant_id: int) -> Any:
        """The engine's suggestions and the matches of one participant, best first."""
        user = _coach_user()
        found = access.participant(user, participant_id)
        rows = Session.scalars(
            access.visible_matches(user)
            .where(Match.participant_id == found.id)
            .order_by(Match.rank.asc().nulls_last(), Match.id)
            .limit(200)
        )
        return {"items": list(rows)}

    @bp.route("/participants/<int:participant_id>/suggestions/refresh", methods=["POST"])
    @bp.response(202, s.JobSchema)
    def refresh(participant_id: int) -> Any:
        """Ask the engine to rank again for this participant (a background job)."""
        user = _coach_user()
        found = access.participant(user, participant_id)
        job_id = schedule_refresh_for_participant(found.id, requested_by_id=user.id)
        Session.commit()
        return {"job_id": job_id}

    # --- decisions and placements --------------------------------------------------------------

    @bp.route("/matches/<int:match_id>/decision", methods=["POST"])
    @bp.arguments(s.DecisionIn)
    @bp.response(200, s.MatchSchema)
    def decide(data: dict[str, Any], match_id: int) -> Any:
        """The coach approves (sends to the participant) or rejects (with a reason) a suggestion."""
        user = _coach_user()
        found = access.match(user, match_id)
        if data["decision"] == "approve":
            return workflow.approve(found, user, data["note"])
        return workflow.reject(found, user, data["reason"], data["note"])

    @bp.route("/placements")
    @bp.arguments(s.PageArgs, location="query")
    @bp.response(200, s.PlacementList)
    def placements(args: dict[str, Any]) -> Any:
        """Placements on the matches the caller sees."""
        visible = access.visible_matches(api_user()).with_only_columns(Match.id)
        query = select(Placement).where(Placement.match_id.in_(visible)).order_by(Placement.id)
        items, page = _page(query, args)
        return {"items": items, "page": page}

    # --- figures -------------------------------------------------------------------------------

    @bp.route("/reports/figures")
    @bp.arguments(s.ReportArgs, location="query")
    @bp.response(200, s.ReportSchema)
    def figures(args: dict[str, Any]) -> Any:
        """Report figures (by gender, as the ESF asks) for the caller's scope."""
        filters = Filters(start=args["start"], end=args["end"], unit_id=args["unit_id"])
        scope = access.report_scope(api_user(), filters)
        return build(args["kind"], scope, date.today())


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _participant_view(user: Any, p: Participant) -> SimpleNamespace:
    """The fields the schema shows; a protected identity's name only for those who may see it."""
    view = SimpleNamespace(**{name: getattr(p, name) for name in s.ParticipantSchema().fields})
    if not access.may_see_identity(user, p):
        view.first_name = view.last_name = None
    return view
