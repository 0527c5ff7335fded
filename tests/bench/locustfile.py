"""Locust users for the load benchmark (tests/bench/load.py starts it): signed-in
coordinators, supervisors, mentors and students, and public visitors, on the main pages of a
large municipality; each reads a page for 5–15 s (people at work, not a crawler), and now and
then asks /healthz, the trivial view every page is compared with.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): Locust runs on the same two
cores as the server, and the lighter client leaves them to the server being measured."""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, between, task

SETUP = json.loads(open(os.environ["BENCH_LOAD_SETUP"]).read())  # noqa: SIM115


class _Person(FastHttpUser):
    """Reads a page for 5–15 s; now and then asks /healthz (the reference)."""

    abstract = True
    wait_time = between(5, 15)
    insecure = True  # the trial's certificate is its own
    headers: dict[str, str] = {}

    @task(1)
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz (reference)", headers=self.headers)


class _SignedIn(_Person):
    abstract = True
    role = ""

    def on_start(self) -> None:
        self.headers = {"Cookie": f"sessionid={random.choice(SETUP[f'{self.role}_sessions'])}"}
        self.pages = SETUP[f"{self.role}_pages"]

    @task(6)
    def page(self) -> None:
        label, path = random.choice(self.pages)
        self.client.get(path, name=label, headers=self.headers)


class Coordinator(_SignedIn):
    weight = 3
    role = "coordinator"


class Supervisor(_SignedIn):
    weight = 2
    role = "supervisor"


class Mentor(_SignedIn):
    weight = 2
    role = "mentor"


class Student(_SignedIn):
    weight = 2
    role = "student"


class Visitor(_Person):
    weight = 1

    @task(6)
    def careers(self) -> None:
        self.client.get(SETUP["careers"], name="careers page (public)")
