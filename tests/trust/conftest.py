"""Fixtures of the trust tests (audit findings, accounts and sessions)."""

import pytest
from flask import g


@pytest.fixture
def fresh(app):
    """Every request loads its user from the cookie, as in production (the test app context
    otherwise keeps the user of the previous request in `g`)."""

    def forget() -> None:
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, forget)
    return app
