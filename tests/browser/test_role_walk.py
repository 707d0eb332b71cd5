"""The guard (issue 8): every demo role, logged in as a person would, walks every link and button
reachable from its menu and home page (and one level below the menu pages), at 1280 px and at
360 px. It fails — listing every finding, role, URL and what — on:

* a page answering anything but 200 (redirects are followed; where they land must answer 200),
* a page wider than the viewport,
* a console error or an uncaught script error,
* a request to another origin (the ``open_page`` fixture checks every request),
* visible English words or developer identifiers in the Chinese interface,
* a form that loses a typed value after a failed submit.

Downloads and exports are fetched through the request context (status 200), never navigated;
logout and the language switch are skipped. Screenshots of each home: test-artifacts/<role>-<width>.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Chunnuan@2026"
WORKER_PHONE = "13800138000"
STAFF = [
    "admin",
    "songyuan_city",
    "ningjiang_county",
    "qianguo_county",
    "tuanjie_township",
    "wenhua_township",
    "songyuan_inspector",
    "songyuan_jobs",
    "songyuan_training",
    "songyuan_leader",
    "chongqing_officer",
    "employer_clerk",
]
WORKER = "worker"
API_ONLY = "songyuan_api"
MAX_PAGES = 28  # per role and width: keeps the walk to a few minutes
MAX_FORMS = 4  # forms submitted with one typed value, per role and width
TYPED = "核对保留值"

SKIP_PATH = re.compile(r"^/(accounts/logout|i18n/|admin/|api/|static/|media/)")
DOWNLOAD = re.compile(r"(export=|/download|/template|\.xlsx|\.csv|\.pdf|format=(xlsx|csv|pdf|json))", re.I)
# Forms never submitted by the walk: they change state even when sent almost empty.
SKIP_FORM_ACTION = re.compile(
    r"(logout|setlang|reveal|approve|return|unlock|retry|revoke|leave|delete|retire|submit|confirm)", re.I
)

# Pages whose very subject is login names (user management): lower-case identifiers are data there.
LOGIN_NAMES_SHOWN = re.compile(r"^/accounts/users/")
# Latin words a Chinese page may show: brands, formats, units, codes.
ALLOWED_WORDS = {
    "English",
    "PDF",
    "Excel",
    "xlsx",
    "XLSX",
    "csv",
    "CSV",
    "API",
    "ID",
    "JSON",
    "json",
    "ECharts",
    "CC",
    "BY",
    "OpenAPI",
    "HTTP",
    "URL",
    "QQ",
    "WeChat",
    "SMS",
    "App",
    "APP",
    "km",
    "kg",
    "GB",
    "MB",
    "KB",
    "ICP",
    "IP",
    "OK",
    "Token",
    "token",
    "GeoNames",
    "OpenStreetMap",
    "ODbL",
    "real-china-division",  # the township data's authors, named as its CC BY 4.0 licence requires
    "AM",
    "PM",
}
DEVELOPER = [
    (re.compile(r"\b(True|False|None|null|undefined|NaN)\b"), "developer value"),
    (re.compile(r"\b[a-z]+_[a-z0-9_]+\b"), "snake_case identifier"),
    (re.compile(r"\b[a-z]+\.[A-Z][A-Za-z]+\b"), "dotted model name"),
    (re.compile(r"(?<![\w&])#\d+\b"), "object number"),
    (re.compile(r"\{\{|\{%|%\}"), "template syntax"),
]
WORD = re.compile(r"(?<![\w.@/-])[A-Za-z][A-Za-z'-]{2,}(?![\w.@/-])")

JS_LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => a.offsetParent !== null || a.closest('nav.menu'))
  .map(a => a.href)"""
JS_WIDTH = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


def _visible_text_findings(text: str) -> list[str]:
    found = []
    for pattern, what in DEVELOPER:
        for m in pattern.finditer(text):
            found.append(f"{what} {m.group(0)!r}")
    for m in WORD.finditer(text):
        word = m.group(0)
        if word not in ALLOWED_WORDS and not any(c.isdigit() for c in word):
            found.append(f"English word {word!r}")
    return sorted(set(found))[:8]


class Walk:
    def __init__(self, page: Any, base: str, role: str, width: int) -> None:
        self.page, self.base, self.role, self.width = page, base, role, width
        self.failures: list[str] = []
        self.console: list[str] = []
        self.seen: set[str] = set()
        self.forms_tried = 0
        self.found_on: dict[str, str] = {}  # link → the page it was found on
        page.on("console", lambda msg: msg.type == "error" and self.console.append(msg.text))
        page.on("pageerror", lambda exc: self.console.append(str(exc)))

    def fail(self, url: str, what: str) -> None:
        origin = self.found_on.get(url)
        where = f" (linked from {origin})" if origin else ""
        self.failures.append(f"[{self.role} @{self.width}px] {url}{where}: {what}")

    def local(self, href: str) -> str | None:
        """The path+query of a same-site link worth walking (None: skip it)."""
        if not href.startswith(self.base):
            return None
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if SKIP_PATH.match(parts.path):
            return None
        return path

    def links(self) -> list[str]:
        out = []
        for href in self.page.evaluate(JS_LINKS):
            path = self.local(href.split("#")[0])
            if path and path not in out:
                out.append(path)
        return out

    def check_here(self, url: str) -> None:
        width, inner = self.page.evaluate(JS_WIDTH)
        if width > inner:
            self.fail(url, f"page {width}px wide in a {inner}px viewport")
        text = self.page.locator("body").inner_text()
        if LOGIN_NAMES_SHOWN.match(url):  # user management lists login names: they are data there
            text = re.sub(r"\b[a-z][a-z0-9_]*\b", "", text)
        for finding in _visible_text_findings(text):
            self.fail(url, finding)
        if self.console:
            self.fail(url, f"console errors {self.console[:3]}")
            self.console.clear()

    def visit(self, path: str) -> bool:
        if path in self.seen or len(self.seen) >= MAX_PAGES:
            return False
        self.seen.add(path)
        url = self.base.rstrip("/") + path
        if DOWNLOAD.search(path):
            response = self.page.request.get(url)
            if response.status != 200:
                self.fail(path, f"download answers {response.status}")
            return False
        try:
            response = self.page.goto(url, wait_until="load")
        except Exception as exc:  # a navigation that never finishes is a finding, not a crash
            self.fail(path, f"navigation failed: {exc}")
            return False
        status = response.status if response else 0
        if status != 200:
            self.fail(path, f"status {status}")
            return False
        self.check_here(path)
        self.try_forms(path)
        return True

    def try_forms(self, path: str) -> None:
        """Type one value into the first empty text box of each form, submit, and look for it again."""
        if self.forms_tried >= MAX_FORMS:
            return
        forms = self.page.locator("main form")
        for i in range(forms.count()):
            if self.forms_tried >= MAX_FORMS:
                return
            form = forms.nth(i)
            action = form.get_attribute("action") or path
            if SKIP_FORM_ACTION.search(action) or form.locator("input[type=file]").count():
                continue
            box = form.locator("input[type=text]:visible, input[type=search]:visible, textarea:visible").first
            submit = form.locator("[type=submit]:visible").first
            if not box.count() or not submit.count() or box.input_value():
                continue
            name = box.get_attribute("name")
            if not name:
                continue
            self.forms_tried += 1
            box.fill(TYPED)
            try:
                with self.page.expect_navigation(wait_until="load", timeout=10_000):
                    submit.click()
            except Exception:
                self.page.wait_for_load_state("load")
            after = self.page.locator(f'main [name="{name}"]').first
            if not after.count():
                continue  # the submit succeeded and led elsewhere: nothing was lost
            if after.input_value() != TYPED:
                self.fail(path, f"form field {name!r} lost the typed value after submit")
            self.check_here(f"{path} (after submit)")
            self.page.goto(self.base.rstrip("/") + path, wait_until="load")
            forms = self.page.locator("main form")
            if i >= forms.count():
                return


def _login(page: Any, base: str, role: str) -> None:
    if role == WORKER:
        from chunnuan.notifications.models import OutboxMessage

        page.goto(f"{base}accounts/phone/")
        page.locator('input[name="phone"]').fill(WORKER_PHONE)
        page.get_by_role("button", name="获取验证码").click()
        page.locator('input[name="code"]').wait_for(state="visible")
        body = OutboxMessage.objects.unscoped(reason="test reads the code").latest("id").body
        code = re.search(r"(?<!\d)(\d{6})(?!\d)", body)
        assert code, body
        page.locator('input[name="code"]').fill(code.group(1))
        with page.expect_navigation():
            page.get_by_role("button", name="登录", exact=True).click()
        return
    page.goto(f"{base}accounts/login/")
    page.locator('input[name="username"]').fill(role)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator('form:has(input[name="password"]) [type="submit"]').click()


def _walk_role(page: Any, base: str, role: str, width: int, artifacts: Path) -> list[str]:
    _login(page, base, role)
    walk = Walk(page, base, role, width)
    if urlsplit(page.url).path != "/":
        return [f"[{role} @{width}px] login landed on {page.url}, not the home page"]
    walk.seen.add("/")
    walk.check_here("/")
    page.screenshot(path=str(artifacts / f"{role}-{width}.png"), full_page=True)
    menu = [p for p in (walk.local(h) for h in page.evaluate(JS_LINKS)) if p]
    first = list(dict.fromkeys(menu))
    for path in first:
        walk.found_on.setdefault(path, "the menu or home page")
    for path in first:
        walk.visit(path)
    # one level below the menu pages
    for path in first:
        if len(walk.seen) >= MAX_PAGES or DOWNLOAD.search(path):
            continue
        if page.goto(base.rstrip("/") + path, wait_until="load").status != 200:
            continue
        for deeper in walk.links()[:12]:
            walk.found_on.setdefault(deeper, path)
            walk.visit(deeper)
    walk.try_forms("/")
    return walk.failures


@pytest.mark.parametrize("width,height", [(1280, 800), (360, 740)])
def test_every_role_walks_without_dead_ends(
    demo_data: None, live_server: Any, open_page: Any, artifacts_dir: Path, width: int, height: int
) -> None:
    base = live_server.url.rstrip("/") + "/"
    failures: list[str] = []
    for role in [*STAFF, WORKER]:
        page = open_page(width=width, height=height, mobile=width < 500)
        try:
            failures += _walk_role(page, base, role, width, artifacts_dir)
        except Exception as exc:  # one role's crash must not hide the others' findings
            failures.append(f"[{role} @{width}px] walk stopped: {type(exc).__name__}: {exc}")
        finally:
            page.context.close()
    assert not failures, f"{len(failures)} findings:\n" + "\n".join(failures)


def test_api_client_has_no_pages(demo_data: None, live_server: Any, open_page: Any) -> None:
    """The data-exchange client signs in to the API, not to pages: no menu, and office pages refuse it."""
    base = live_server.url.rstrip("/") + "/"
    page = open_page(width=1280, height=800)
    _login(page, base, API_ONLY)
    assert page.locator("nav.menu a").count() <= 1, "the API client got a page menu"
    for path in ("workers/", "employers/", "audit/", "accounts/users/"):
        response = page.goto(base + path)
        assert response is not None and response.status in (403, 404), (
            f"{path} → {response and response.status}"
        )
        assert "返回首页" in page.locator("body").inner_text()
