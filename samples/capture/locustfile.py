"""Locustfile for the capture stack, shaped like the user's (shared/FORMATS.md).

- Request names: '[AUTH] Get Login Page', '[AUTH] Login POST', '[AUTH] Logout', '/dashboard/',
  '/api/project/[id]/...' templates; export endpoints carry the tag 'export'.
- Login failures go to logger 'locust.auth' (also into Locust's console log) AND to
  logs/locust_login_failures.log twice: once through a handler with
  '%(asctime)s %(levelname)s %(message)s', once as a raw '<datetime.now().isoformat()> <msg>'.
- TEST_USER_POOL='user:password,...'; passwords are never printed.
"""
import logging
import os
import random
import re
import html
from datetime import datetime

from locust import HttpUser, between, events, tag, task

LOG_DIR = os.environ.get("LOCUST_LOG_DIR", "logs")
os.makedirs(LOG_DIR, exist_ok=True)
FAIL_LOG = os.path.join(LOG_DIR, "locust_login_failures.log")

auth_log = logging.getLogger("locust.auth")


def _attach_file_handler():
    # Locust's setup_logging() (dictConfig) runs after this file is imported and strips the
    # handlers of every 'locust.*' logger, so the file handler is attached at init time.
    if not any(getattr(h, "_auth_fail_log", False) for h in auth_log.handlers):
        fh = logging.FileHandler(FAIL_LOG, encoding="utf-8")
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        fh._auth_fail_log = True
        auth_log.addHandler(fh)
    auth_log.setLevel(logging.INFO)


def raw_failure(message):
    with open(FAIL_LOG, "a", encoding="utf-8") as f:
        f.write(f"{datetime.now().isoformat()} {message}\n")


def parse_pool(value):
    pool, skipped = [], []
    for entry in (value or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        if ":" not in entry:
            skipped.append(entry)
            continue
        user, pw = entry.split(":", 1)
        pool.append((user, pw))
    return pool, skipped


DEFAULT_USER = (os.environ.get("TEST_USERNAME", "loadtest"), os.environ.get("TEST_PASSWORD", "Tester#2026"))
USER_POOL, SKIPPED = parse_pool(os.environ.get("TEST_USER_POOL", ""))
_next_user = 0


@events.init.add_listener
def _announce_pool(environment, **kwargs):
    _attach_file_handler()
    for entry in SKIPPED:
        auth_log.warning(
            "TEST_USER_POOL invalid entry (missing ':password'): %r - skipped (format: username:password)", entry
        )
    if USER_POOL:
        names = [u for u, _ in USER_POOL]
        shown = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
        auth_log.info("Multi-user pool configured: %d users (%s)", len(names), shown)
    else:
        auth_log.info(
            "single_user_pool active username=%s (set TEST_USER_POOL to test multi-user)", DEFAULT_USER[0]
        )


def next_credentials():
    global _next_user
    if not USER_POOL:
        return DEFAULT_USER
    cred = USER_POOL[_next_user % len(USER_POOL)]
    _next_user += 1
    return cred


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERR_RE = re.compile(r'<ul class="errorlist[^"]*">\s*<li>(.*?)</li>', re.S)


def page_error(text):
    m = ERR_RE.search(text or "")
    return html.unescape(m.group(1)).strip() if m else "unknown"


class AuthMixin:
    logged_in = False

    def login(self):
        user, pw = self.credentials
        with self.client.get("/accounts/login/", name="[AUTH] Get Login Page", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"login page: {r.status_code}")
                return False
            m = CSRF_RE.search(r.text)
            token = m.group(1) if m else ""
        url = self.host.rstrip("/") + "/accounts/login/"
        with self.client.post(
            "/accounts/login/",
            data={"login": user, "password": pw, "csrfmiddlewaretoken": token},
            headers={"Referer": url, "X-CSRFToken": token},
            name="[AUTH] Login POST",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code in (301, 302):
                if "/accounts/login/" in r.headers.get("Location", ""):
                    msg = f"login_redirect_back username={user} url={url} location={r.headers.get('Location')}"
                    auth_log.error(msg)
                    raw_failure(msg)
                    r.failure("login redirected back to login")
                    return False
                r.success()
                self.logged_in = True
                return True
            if r.status_code >= 500:
                msg = f"login_server_error username={user} status={r.status_code} url={url} error={page_error(r.text)}"
                auth_log.error(msg)
                raw_failure(msg)
                r.failure(f"login server error: {r.status_code}")
                return False
            if r.status_code == 200:
                msg = f"login_page_returned username={user} url={url} error={page_error(r.text)}"
                auth_log.error(msg)
                raw_failure(msg)
                r.failure("login page returned")
                return False
            msg = f"login_unexpected_status username={user} status={r.status_code} url={url}"
            auth_log.error(msg)
            raw_failure(msg)
            r.failure(f"login unexpected status: {r.status_code}")
            return False

    def logout(self):
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/logout/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": self.host.rstrip("/") + "/dashboard/", "X-CSRFToken": token},
            name="[AUTH] Logout",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code in (200, 302):
                r.success()
            else:
                r.failure(f"logout failed: {r.status_code}")
        self.logged_in = False

    def get_api(self, path, name):
        if not self.logged_in and not self.login():
            return
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code == 200:
                r.success()
            elif r.status_code in (301, 302):
                r.failure("redirected to login")
                self.logged_in = False
            else:
                r.failure(f"HTTP {r.status_code}")


# weight of WebsiteUser's logout + login task (scenarios raise it to log in more often)
RELOGIN_WEIGHT = int(os.environ.get("LOCUST_RELOGIN_WEIGHT", "1"))


def pid():
    return random.randint(1, 200)


class WebsiteUser(AuthMixin, HttpUser):
    weight = 4
    wait_time = between(1, 3)

    def on_start(self):
        self.credentials = next_credentials()
        self.login()

    @task(3)
    def dashboard(self):
        self.get_api("/dashboard/", "/dashboard/")

    @task(4)
    def rekap_kebutuhan(self):
        self.get_api(f"/api/project/{pid()}/rekap-kebutuhan/", "/api/project/[id]/rekap-kebutuhan/")

    @task(2)
    def rekap_validate(self):
        self.get_api(f"/api/project/{pid()}/rekap-kebutuhan/validate/", "/api/project/[id]/rekap-kebutuhan/validate/")

    @task(2)
    def pricing(self):
        self.get_api(f"/api/project/{pid()}/pricing/", "/api/project/[id]/pricing/")

    @task(RELOGIN_WEIGHT)
    def relogin(self):
        if self.logged_in:
            self.logout()
        self.login()


class HeavyUser(AuthMixin, HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.credentials = next_credentials()
        self.login()

    @tag("export")
    @task(2)
    def export_pdf(self):
        self.get_api(f"/api/project/{pid()}/export/rekap-rab/pdf/", "/api/project/[id]/export/rekap-rab/pdf/")

    @tag("export")
    @task(1)
    def export_xlsx(self):
        self.get_api(f"/api/project/{pid()}/export/rekap-rab/xlsx/", "/api/project/[id]/export/rekap-rab/xlsx/")
