"""A refusal raised anywhere below a view is a 403 or 404 page (JSON under /api), never a 500."""

from __future__ import annotations

import pytest

from services.access import AccessDenied


def _raising(app, path: str, exc: BaseException) -> None:  # type: ignore[no-untyped-def]
    def view() -> str:
        raise exc

    app.add_url_rule(path, endpoint=f"raise{path.replace('/', '_')}", view_func=view)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (PermissionError("another unit's participant"), 403),
        (LookupError("offer 42"), 404),  # words with a space: no CSRF token contains them
        (AccessDenied("match 7"), 404),
        (AccessDenied("protected identity 7", secret=False), 403),
    ],
)
def test_a_refusal_escaping_a_view_is_403_or_404(app, client, exc, status) -> None:  # type: ignore[no-untyped-def]
    """Does a PermissionError or LookupError out of a view give 403/404, not a server error?"""
    _raising(app, "/refused", exc)
    _raising(app, "/api/refused", exc)
    page = client.get("/refused")
    assert page.status_code == status
    html = page.get_data(as_text=True)
    assert f"({status})" in html and "<html" in html  # the branded error page
    assert str(exc.args[0]) not in html  # the internal reason is not shown
    api = client.get("/api/refused")
    assert api.status_code == status and api.is_json and "error" in api.get_json()


def test_a_key_error_is_still_a_bug(app, client) -> None:  # type: ignore[no-untyped-def]
    """Is a KeyError (a LookupError, but a bug out of a view) left a server error?"""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    _raising(app, "/buggy", KeyError("missing"))
    assert client.get("/buggy").status_code == 500
