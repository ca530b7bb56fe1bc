"""Locust users for `python -m benchmarks.load`: coaches, employers and participants of the
demo, each logging in once and then reading their main pages; every user also calls /healthz
(one trivial query), the floor each page's time is read against. Page ids come from the
file in LOAD_IDS, written by the runner from the database."""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

IDS = json.loads(open(os.environ["LOAD_IDS"], encoding="utf-8").read())
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _Base(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    email = ""

    def on_start(self) -> None:
        page = self.client.get("/login", name="/login")
        token = CSRF.search(page.text)
        form = {"email": self.email, "password": "demo1234"}
        if token:
            form["csrf_token"] = token.group(1)
        with self.client.post(
            "/login", data=form, name="/login [POST]", catch_response=True, allow_redirects=False
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login {self.email}: {answer.status_code}")

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    @task(1)
    def healthz(self) -> None:
        self.page("/healthz", "/healthz (floor)")


class Coach(_Base):
    weight = 2
    email = "coach@demo.test"

    @task(2)
    def home(self) -> None:
        self.page("/coach/", "/coach/")

    @task(3)
    def participants(self) -> None:
        self.page("/coach/participants", "/coach/participants")

    @task(3)
    def participant(self) -> None:
        pid = random.choice(IDS["participants"])
        self.page(f"/coach/participants/{pid}", "/coach/participants/{id}")

    @task(3)
    def suggestions(self) -> None:
        pid = random.choice(IDS["participants"])
        self.page(f"/coach/participants/{pid}/suggestions", "/coach/participants/{id}/suggestions")

    @task(2)
    def queue(self) -> None:
        self.page("/coach/suggestions", "/coach/suggestions")


class Employer(_Base):
    weight = 1
    email = "employer@demo.test"

    @task(2)
    def home(self) -> None:
        self.page("/employer/", "/employer/")

    @task(3)
    def offer(self) -> None:
        oid = random.choice(IDS["offers"])
        self.page(f"/employer/offers/{oid}", "/employer/offers/{id}")

    @task(1)
    def workplaces(self) -> None:
        self.page("/employer/workplaces", "/employer/workplaces")


class Participant(_Base):
    weight = 1
    email = "participant@demo.test"

    @task(2)
    def home(self) -> None:
        self.page("/me/", "/me/")

    @task(3)
    def proposals(self) -> None:
        self.page("/me/proposals", "/me/proposals")

    @task(1)
    def plan(self) -> None:
        self.page("/me/plan", "/me/plan")
