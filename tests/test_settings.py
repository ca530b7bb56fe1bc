"""Settings come from the environment in one place, and production refuses unsafe defaults."""

import pytest

from web import settings


def test_defaults_are_embedded_sqlite_and_in_process_jobs():
    """Does a newcomer with no environment get SQLite under instance/ and in-process jobs?"""
    config = settings.load({})
    assert config["DATABASE_URL"].startswith("sqlite:///")
    assert config["DATABASE_URL"].endswith("instance/platsmatch.sqlite3")
    assert config["JOBS_MODE"] == "thread"
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SECURE"] is False


def test_redis_url_switches_jobs_to_rq_and_postgres_url_gets_driver():
    config = settings.load(
        {"REDIS_URL": "redis://127.0.0.1:6379/0", "DATABASE_URL": "postgresql://u@h/db"}
    )
    assert config["JOBS_MODE"] == "rq"
    assert config["DATABASE_URL"] == "postgresql+psycopg://u@h/db"


def test_empty_values_fall_back_to_documented_defaults():
    config = settings.load({"LOGIN_MAX_FAILURES": "", "PORT": " "})
    assert config["LOGIN_MAX_FAILURES"] == 5


@pytest.mark.parametrize("key", [settings.DEFAULT_SECRET_KEY, "short", ""])
def test_production_refuses_weak_secret_key(key):
    """Can production start with the development SECRET_KEY? It must not."""
    config = settings.load({"APP_ENV": "production", "SECRET_KEY": key})
    with pytest.raises(settings.ConfigError, match="SECRET_KEY"):
        settings.check(config)


PRODUCTION_KEYS = {
    "PERSONNUMMER_KEYS": "bmV3LXByb2R1Y3Rpb24ta2V5LWZvci10ZXN0cy0zMmI=",
    "PERSONNUMMER_HASH_KEY": "h" * 40,
    "PUBLIC_URL": "https://platsmatch.example.se",
}


def test_production_accepts_a_real_key_and_secures_cookies():
    config = settings.load({"APP_ENV": "production", "SECRET_KEY": "x" * 40} | PRODUCTION_KEYS)
    settings.check(config)
    assert config["SESSION_COOKIE_SECURE"] is True


def test_create_app_refuses_production_defaults(monkeypatch):
    from web import create_app

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(settings.ConfigError):
        create_app()


def test_every_setting_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in settings.SETTINGS if f"`{s.name}`" not in readme]
    assert missing == []


@pytest.mark.parametrize("missing", ["PERSONNUMMER_KEYS", "PERSONNUMMER_HASH_KEY"])
def test_production_refuses_the_development_personnummer_keys(missing):
    """Can production encrypt personnummer with the public development key? It must not."""
    env = {"APP_ENV": "production", "SECRET_KEY": "x" * 40} | PRODUCTION_KEYS
    del env[missing]
    with pytest.raises(settings.ConfigError, match=missing):
        settings.check(settings.load(env))


def test_a_malformed_personnummer_key_is_refused_by_name(monkeypatch):
    """Does a mistyped Fernet key stop the start with a message instead of a traceback?"""
    from web import create_app

    monkeypatch.setenv("PERSONNUMMER_KEYS", "not-a-key")
    with pytest.raises(settings.ConfigError, match="PERSONNUMMER_KEYS key 1"):
        create_app({"TESTING": True, "TESTING_ENGINE_CONFIGURED": True})


@pytest.mark.parametrize(
    ("name", "raw"), [("JOB_TIMEOUT", "ten"), ("MAIL_PORT", "-1"), ("EXPOSURE_MULTIPLE", "x")]
)
def test_malformed_numbers_are_refused_by_name(name, raw):
    """Does a typo in a numeric setting give a clear message instead of a traceback?"""
    with pytest.raises(settings.ConfigError, match=name):
        settings.load({name: raw})


def test_production_refuses_links_to_a_local_address():
    """Can production e-mail reset links to http://127.0.0.1? It must not start."""
    env = {"APP_ENV": "production", "SECRET_KEY": "x" * 40} | PRODUCTION_KEYS
    settings.check(settings.load(env))
    for url in ("", "http://platsmatch.example.se"):
        with pytest.raises(settings.ConfigError, match="PUBLIC_URL"):
            settings.check(settings.load(env | {"PUBLIC_URL": url}))
