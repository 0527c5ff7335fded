"""Locust users for the load benchmark (tests/bench/load.py starts it): signed-in
coordinators and supervisors, and public visitors, on the main pages of a large municipality."""

from __future__ import annotations

import json
import os
import random

import urllib3
from locust import HttpUser, between, task

urllib3.disable_warnings()
SETUP = json.loads(open(os.environ["BENCH_LOAD_SETUP"]).read())  # noqa: SIM115


class Coordinator(HttpUser):
    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.verify = False
        self.client.cookies.set("sessionid", random.choice(SETUP["coordinator_sessions"]))
        self.pages = SETUP["coordinator_pages"]

    @task
    def page(self) -> None:
        label, path = random.choice(self.pages)
        self.client.get(path, name=label)


class Supervisor(HttpUser):
    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.verify = False
        self.client.cookies.set("sessionid", random.choice(SETUP["supervisor_sessions"]))
        self.pages = SETUP["supervisor_pages"]

    @task
    def page(self) -> None:
        label, path = random.choice(self.pages)
        self.client.get(path, name=label)


class Visitor(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.verify = False

    @task
    def careers(self) -> None:
        self.client.get(SETUP["careers"], name="careers page (public)")
