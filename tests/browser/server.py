"""The live server the browser tests talk to, run as its own process.

`python -m tests.browser.server DATABASE_URL` upgrades a fresh database, loads the demo (and the
demo's first suggestions where the workflow services exist), then serves the app with werkzeug on
127.0.0.1 and a free port, printing `READY <port>` once it accepts connections. A separate process
keeps the server's global session registry away from the test process's rolled-back `db` fixture.
"""

from __future__ import annotations

import os
import sys


def immediate_transactions(url: str) -> None:
    """Bind the session to an SQLite engine whose transactions begin IMMEDIATE.

    With SQLite's default deferred BEGIN, a request that reads, then writes after a background
    job committed in between, fails at once with "database is locked" (SQLite cannot wait in that
    case), so logins and saves failed at random while jobs ran. Taking the write lock at BEGIN
    makes them wait their turn instead (busy_timeout). PostgreSQL needs none of this.
    """
    from sqlalchemy import create_engine, event

    import models

    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    models.Session.remove()
    models.Session.configure(bind=engine)


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
    immediate_transactions(url)
    app = create_app(
        {"MAIL_FILE": os.environ.get("MAIL_FILE", os.devnull), "TESTING_ENGINE_CONFIGURED": True}
    )
    with app.app_context():
        from services import demo

        demo.seed()
        try:
            from services import demo_matches
        except ImportError:
            demo_matches = None
        if demo_matches is not None:
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
