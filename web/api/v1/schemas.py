"""Marshmallow schemas of the integration API: what goes in and out, and what the OpenAPI
document says. Values are the stored codes (an API is read by programs); the docs page lists
their meanings."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matcher.types import ACCESSIBILITY, LEADS_TO_EMPLOYMENT, PHYSICAL_DEMANDS
from models.match import REJECTION_REASONS
from models.offer import OFFER_KINDS, OFFER_STATUSES
from models.participant import SWEDISH_LEVELS

TERM = fields.String(validate=validate.Length(min=1, max=80))


class ErrorDetail(Schema):
    code = fields.String(
        required=True, metadata={"description": "machine-readable, e.g. not_found"}
    )
    message = fields.String(required=True)
    field = fields.String(allow_none=True, required=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetail, required=True)


class PageArgs(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1_000_000))


class PageMeta(Schema):
    total = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


class WorkplaceSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    street = fields.String(load_default="", validate=validate.Length(max=200))
    postal_code = fields.String(load_default="", validate=validate.Length(max=6))
    city = fields.String(load_default="", validate=validate.Length(max=100))
    municipality = fields.String(required=True, validate=validate.Length(min=1, max=100))
    geocode_status = fields.String(dump_only=True)


class EmployerSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    org_number = fields.String(dump_only=True)
    verified = fields.Boolean(dump_only=True)
    workplaces = fields.List(fields.Nested(WorkplaceSchema), dump_only=True)


class OfferInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    workplace_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    kind = fields.String(load_default="praktik", validate=validate.OneOf(OFFER_KINDS))
    description = fields.String(load_default="", validate=validate.Length(max=10000))
    tasks = fields.String(load_default="", validate=validate.Length(max=10000))
    occupation = fields.String(load_default="", validate=validate.Length(max=200))
    skills_required = fields.List(TERM, load_default=list, validate=validate.Length(max=40))
    skills_desired = fields.List(TERM, load_default=list, validate=validate.Length(max=40))
    hours_min = fields.Float(
        allow_none=True, load_default=None, validate=validate.Range(min=0, max=60)
    )
    hours_max = fields.Float(
        allow_none=True, load_default=None, validate=validate.Range(min=0, max=60)
    )
    swedish_level = fields.String(load_default="none", validate=validate.OneOf(SWEDISH_LEVELS))
    requires_driving_licence = fields.Boolean(load_default=False)
    physical_demands = fields.List(
        fields.String(validate=validate.OneOf(sorted(PHYSICAL_DEMANDS))), load_default=list
    )
    accessibility = fields.List(
        fields.String(validate=validate.OneOf(sorted(ACCESSIBILITY))), load_default=list
    )
    capacity = fields.Integer(load_default=1, validate=validate.Range(min=0, max=1000))
    leads_to_employment = fields.String(
        allow_none=True, load_default=None, validate=validate.OneOf(LEADS_TO_EMPLOYMENT)
    )
    supervisor_name = fields.String(load_default="", validate=validate.Length(max=200))
    supervisor_email = fields.String(load_default="", validate=validate.Length(max=254))
    supervisor_phone = fields.String(load_default="", validate=validate.Length(max=40))
    start_from = fields.Date(allow_none=True, load_default=None)
    start_until = fields.Date(allow_none=True, load_default=None)
    duration_weeks = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=1, max=104)
    )
    max_open_candidates = fields.Integer(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=1, max=1000),
        metadata={"description": "At most this many open candidates at once; null: no cap."},
    )
    publish_on_verification = fields.Boolean(
        load_default=False,
        metadata={"description": "Publish this draft by itself once the employer is verified."},
    )


class OfferSchema(OfferInSchema):
    id = fields.Integer(dump_only=True)
    employer_id = fields.Integer(dump_only=True)
    employer_name = fields.Function(lambda o: o.employer.name, dump_only=True)
    municipality = fields.Function(lambda o: o.workplace.municipality, dump_only=True)
    status = fields.String(dump_only=True, validate=validate.OneOf(OFFER_STATUSES))
    filled = fields.Integer(dump_only=True)
    external_id = fields.String(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True)


class OfferFilter(PageArgs):
    status = fields.String(validate=validate.OneOf(OFFER_STATUSES))
    municipality = fields.String(validate=validate.Length(max=100))
    q = fields.String(
        validate=validate.Length(max=100), metadata={"description": "words in the title"}
    )


class OfferPage(Schema):
    items = fields.List(fields.Nested(OfferSchema), required=True)
    page = fields.Nested(PageMeta, required=True)


class StatusIn(Schema):
    status = fields.String(
        required=True, validate=validate.OneOf(("published", "paused", "closed"))
    )


class ParticipantSchema(Schema):
    """A participant as their unit's coaches see them in lists: no health details and no
    personnummer; a protected identity's name is left out."""

    id = fields.Integer(dump_only=True)
    external_id = fields.String(allow_none=True)
    first_name = fields.String(allow_none=True)
    last_name = fields.String(allow_none=True)
    municipality = fields.String()
    coach_id = fields.Integer(allow_none=True)
    gender = fields.String()
    target_group = fields.String()
    support_level = fields.Integer()
    skills = fields.List(fields.String())
    interests = fields.List(fields.String())
    swedish_level = fields.String()
    driving_licence = fields.Boolean()
    hours_min = fields.Float(allow_none=True)
    hours_max = fields.Float(allow_none=True)
    max_commute_km = fields.Float(allow_none=True)
    enrolled_on = fields.Date()
    exited_on = fields.Date(allow_none=True)
    protected_identity = fields.Boolean()
    updated_at = fields.DateTime()


class ParticipantFilter(PageArgs):
    q = fields.String(
        validate=validate.Length(max=100), metadata={"description": "name or external id"}
    )
    municipality = fields.String(validate=validate.Length(max=100))
    external_id = fields.String(validate=validate.Length(max=100))
    active = fields.Boolean(metadata={"description": "true: not exited"})


class ParticipantPage(Schema):
    items = fields.List(fields.Nested(ParticipantSchema), required=True)
    page = fields.Nested(PageMeta, required=True)


class SuggestionSchema(Schema):
    match_id = fields.Integer(attribute="id")
    participant_id = fields.Integer()
    offer_id = fields.Integer()
    status = fields.String()
    source = fields.String()
    rank = fields.Integer(allow_none=True)
    score = fields.Float(allow_none=True)
    reasons = fields.List(fields.Raw())
    offer_title = fields.Function(lambda m: m.offer.title)


class SuggestionList(Schema):
    items = fields.List(fields.Nested(SuggestionSchema), required=True)


class JobSchema(Schema):
    job_id = fields.String(required=True)


class DecisionIn(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(("approve", "reject")))
    reason = fields.String(load_default="", validate=validate.OneOf(("", *REJECTION_REASONS)))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class MatchSchema(SuggestionSchema):
    decided_at = fields.DateTime(allow_none=True)


class PlacementSchema(Schema):
    id = fields.Integer()
    match_id = fields.Integer()
    status = fields.String()
    start_on = fields.Date(allow_none=True)
    end_on = fields.Date(allow_none=True)


class PlacementList(Schema):
    items = fields.List(fields.Nested(PlacementSchema), required=True)
    page = fields.Nested(PageMeta, required=True)


class ReportArgs(Schema):
    kind = fields.String(
        load_default="outcomes",
        validate=validate.OneOf(("outcomes", "timing", "funnel", "equality", "progression")),
    )
    start = fields.Date(load_default=None, allow_none=True)
    end = fields.Date(load_default=None, allow_none=True)
    unit_id = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=2**31 - 1)
    )


class ReportSchema(Schema):
    kind = fields.String(required=True)
    as_of = fields.String(required=True)
    population = fields.Integer(required=True)
    scope = fields.Dict(required=True)
    figures = fields.Dict(required=True)
