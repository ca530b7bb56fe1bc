"""A real client's view: schemathesis generates calls from the served OpenAPI document (every
operation, valid and invalid input) and checks that none gives a server error or an answer that
breaks the document (status, content type, headers, body schema; invalid input refused).

The operations are driven with schemathesis' Python API and Hypothesis directly (its pytest
plugin does not run under pytest 9). One check is left out: "schema-valid data is accepted".
Some rules need the database (a workplace of another employer, a match already decided) and are
answered 422/409 as the document says; the schema cannot express them."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from models import Session
from tests.api.helpers import bearer, side
from tests.factories import make_user

EMPLOYER_PATHS = ("/api/v1/employers", "/api/v1/workplaces")
SETTINGS = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.fixture
def served(app):  # type: ignore[no-untyped-def]
    admin = make_user("admin")
    world = side(admin)
    Session.commit()
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app), world


def _token(world, case) -> str:  # type: ignore[no-untyped-def]
    path, method = case.operation.path, case.method.upper()
    employer_side = path.startswith(EMPLOYER_PATHS) or (
        path.startswith("/api/v1/offers")
        and method in ("POST", "PUT")
        and not path.endswith("/suggestions")
    )
    return world.employer_token if employer_side else world.coach_token


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_and_no_answer_outside_the_document(served, mode) -> None:  # type: ignore[no-untyped-def]
    """Does any generated call, valid or not, give a 5xx or an answer the document does not describe?"""
    schema, world = served
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @SETTINGS
        def run(case) -> None:  # type: ignore[no-untyped-def]
            try:
                case.call_and_validate(
                    headers=bearer(_token(world, case)), excluded_checks=[positive_data_acceptance]
                )
            except AssertionError:
                raise

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - schemathesis reports check failures as its own types
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:800]}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow
def test_stateful_offer_links(served) -> None:  # type: ignore[no-untyped-def]
    """Following the document's links (create an offer, then read, replace, publish it): any 5xx
    or answer outside the document?"""
    from hypothesis.stateful import run_state_machine_as_test

    schema, world = served
    machine = schema.as_state_machine()

    class Offers(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case):  # type: ignore[no-untyped-def]
            return {"headers": bearer(_token(world, case))}

        def validate_response(self, response, case, **kwargs):  # type: ignore[no-untyped-def]
            # ignored_auth re-sends without the token, but get_call_kwargs adds it back: the
            # token checks are in test_api.py
            case.validate_response(
                response, excluded_checks=[positive_data_acceptance, ignored_auth]
            )

    run_state_machine_as_test(
        Offers,
        settings=settings(
            max_examples=10,
            stateful_step_count=5,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )
