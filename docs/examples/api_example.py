"""Create a placement offer and read the engine's suggestions for it through the Platsmatch API.

    python docs/examples/api_example.py https://platsmatch.example.se EMPLOYER_TOKEN COACH_TOKEN

The employer's token creates and publishes the offer at the employer's first workplace; the
coach's token reads which of the coach's participants the engine suggests for it (the ranking
runs in the background, so the script asks a few times). Only the standard library is used.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

# send(method, url, token, body) -> (status, headers, parsed JSON)
Send = Callable[[str, str, str, Any], tuple[int, dict[str, str], Any]]


def urllib_send(
    method: str, url: str, token: str, body: Any = None
) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - the caller's URL
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.load(err)


def run(
    base: str, employer_token: str, coach_token: str, send: Send = urllib_send, tries: int = 10
) -> list[dict]:
    api = base.rstrip("/") + "/api/v1"

    def call(method: str, path: str, token: str, body: Any = None, ok: int = 200) -> Any:
        status, _headers, answer = send(method, api + path, token, body)
        if status != ok:
            error = answer.get("error", {}) if isinstance(answer, dict) else {}
            raise SystemExit(
                f"{method} {path}: {status} {error.get('code')}: {error.get('message')}"
            )
        return answer

    employer = call("GET", "/employers/me", employer_token)
    workplace = employer["workplaces"][0]
    offer = call(
        "POST",
        "/offers",
        employer_token,
        {
            "title": "Lagerarbetare",
            "workplace_id": workplace["id"],
            "kind": "praktik",
            "skills_required": ["truckkort"],
            "hours_min": 20,
            "hours_max": 40,
            "capacity": 2,
        },
        ok=201,
    )
    call("POST", f"/offers/{offer['id']}/status", employer_token, {"status": "published"})
    print(f"offer {offer['id']} published at {workplace['name']}")
    suggestions: list[dict] = []
    for attempt in range(tries):
        suggestions = call("GET", f"/offers/{offer['id']}/suggestions", coach_token)["items"]
        if suggestions:
            break
        time.sleep(min(2**attempt, 10))
    for s in suggestions:
        print(f"participant {s['participant_id']}: score {s['score']}, {s['status']}")
    return suggestions


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    run(*sys.argv[1:4])
