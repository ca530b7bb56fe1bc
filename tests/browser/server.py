"""The live server the browser tests talk to, run as its own process.

`python -m tests.browser.server DATABASE_URL` upgrades a fresh database, loads the demo (and the
demo's first suggestions where the workflow services exist), then serves the app with werkzeug on
127.0.0.1 and a free port, printing `READY <port>` once it accepts connections. A separate process
keeps the server's global session registry away from the test process's rolled-back `db` fixture.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.browser.server DATABASE_URL", file=sys.stderr)
        return 2
    url = argv[0]
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("JOBS_MODE", "thread")
    os.environ.pop("REDIS_URL", None)

    from werkzeug.serving import make_server

    from services import database
    from web import create_app

    database.upgrade(url=url)
    app = create_app({"MAIL_FILE": os.environ.get("MAIL_FILE", os.devnull)})
    with app.app_context():
        from services import demo

        demo.seed()
        from services import demo_matches

        demo_matches.run()
        from models import Session

        Session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"READY {server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
