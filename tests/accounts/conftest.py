"""Fixtures of the account tests (password change and reset, invitations, admin pages)."""

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


def outbox_to(address: str):
    """The e-mails in the outbox for one address, oldest first."""
    from sqlalchemy import select

    from models import OutboxEmail, Session

    return list(
        Session.scalars(
            select(OutboxEmail).where(OutboxEmail.to_address == address).order_by(OutboxEmail.id)
        )
    )


def link_in(body: str) -> str:
    """The path of the one account link in an e-mail body."""
    import re

    found = re.findall(r"https?://[^/\s]+(/password/reset/\S+)", body)
    assert len(found) == 1, body
    return found[0]
