"""The month-end storm, for locust (run by `make bench` through ops/storm.py; not imported by the portal).

Each `Office` user takes the next unit at the end of the month: its member of staff logs in, opens
我的任务, the task and the report form, and saves the month's report with a 200 KB evidence file,
three times, as people do; then the head of the unit logs in and submits it. Every unit does this
once. Meanwhile the `SupervisionOffice` users open the review queue and accept what has arrived,
each their share of it (by report id), so that two of them never accept the same report. The people, their tasks and the month come from the JSON file named by STORM_PEOPLE.
"""

import json
import os
import re
from itertools import count

from locust import HttpUser, between, task
from locust.exception import StopUser

PEOPLE = json.loads(open(os.environ["STORM_PEOPLE"]).read())
EVIDENCE = b"%PDF-1.4\n" + b"0" * (200 * 1024) + b"\n%%EOF\n"
VERSION = re.compile(r'name="version" value="(\d*)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPORT_IDS = re.compile(r'name="reports" value="(\d+)"')
_next_unit = count()
_next_supervisor = count()


class Portal(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)

    def on_start(self):
        # The cluster's own self-signed certificate, on loopback; no proxy or CA bundle from the environment.
        self.client.verify, self.client.trust_env = False, False

    def login(self, username):
        self.client.cookies.clear()
        page = self.client.get("/accounts/login/", name="login page").text
        with self.client.post("/accounts/login/", name="log in", allow_redirects=False, catch_response=True, data={
                "username": username, "password": PEOPLE["password"], "csrfmiddlewaretoken": TOKEN.search(page).group(1)},
                headers={"Referer": self.host + "/accounts/login/"}) as answer:
            if answer.status_code != 302:
                answer.failure(f"login refused ({answer.status_code})")
                raise StopUser()

    def post_form(self, path, data, name, files=None, expect=302):
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken")}
        with self.client.post(path, data=data, files=files, name=name, allow_redirects=False, catch_response=True,
                              headers={"Referer": self.host + path}) as answer:
            if answer.status_code != expect:
                answer.failure(f"{name}: {answer.status_code}")
            return answer.status_code == expect


class Office(Portal):
    weight = 20

    @task
    def month_end(self):
        try:
            unit = PEOPLE["units"][next(_next_unit)]
        except IndexError:
            raise StopUser()  # every unit has reported
        form = f"{unit['report_path']}?month={PEOPLE['month']}"
        self.login(unit["staff"])
        self.client.get(f"/my/?month={PEOPLE['month']}", name="my tasks")
        self.client.get(unit["task_path"], name="task page")
        for attempt in range(3):
            page = self.client.get(form, name="report form").text
            version = VERSION.search(page)
            self.post_form(unit["report_path"], {
                "month": PEOPLE["month"], "progress": f"月底报送，第{attempt + 1}稿。", "percent": 60, "save": "1",
                "version": version.group(1) if version else ""},
                name="save report", files={"files": ("佐证材料.pdf", EVIDENCE, "application/pdf")})
        self.login(unit["head"])
        page = self.client.get(form, name="report form").text
        version = VERSION.search(page)
        self.post_form(unit["report_path"], {
            "month": PEOPLE["month"], "progress": "月底报送，定稿。", "percent": 60, "submit": "1",
            "version": version.group(1) if version else ""}, name="submit report")


class SupervisionOffice(Portal):
    fixed_count = 2
    wait_time = between(1, 2)

    def on_start(self):
        super().on_start()
        self.share = next(_next_supervisor) % len(PEOPLE["supervisors"])
        self.login(PEOPLE["supervisors"][self.share])

    @task
    def review(self):
        page = self.client.get("/review/", name="review queue").text
        ids = [pk for pk in REPORT_IDS.findall(page) if int(pk) % len(PEOPLE["supervisors"]) == self.share]
        if ids:
            self.post_form("/review/accept/", {"reports": ids}, name="accept reports")
