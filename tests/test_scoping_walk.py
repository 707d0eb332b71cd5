"""Guard (a): walk every page URL and every API operation as someone who must not see 团结街道's
records, and as an anonymous visitor. Every URL that names a record out of reach must be refused
(404, or 401/403/302 for anonymous), no list or export may show another unit's people, and nothing
stored may change.

Walkers (each holds every permission its kind can hold and owns nothing of 团结街道):
    township  an administrator of the sibling township 文化街道
    county    an administrator of the sibling county 前郭县
    city      an administrator of the sibling city 长春市
    province  an administrator of the sibling province 重庆市
    clerk     the clerk of another employer in 团结街道 itself
    worker    another worker of 团结街道 itself

Responses are read as a person would read them: JSON is decoded (the API writes ``\\u…`` escapes),
spreadsheets are opened, CSV is decoded as UTF-8 or GBK. Every list page is also exported
(``?export=xlsx|csv``, masked and ``&full=1``).

Routes are discovered from the URL resolver and the OpenAPI schema, so new routes are covered
without touching this file. Reference data that is public (region names and codes) is the one
deliberate exception for reads, listed in PUBLIC_READS.

The walk proves itself: ``test_mutation_*`` remove the scoping from a list, a detail, an API list
and an export (patching one selector or view at a time) and assert that the walk then fails.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib
import io
import json
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from chunnuan.access.actor import system_actor
from chunnuan.access.auth import actor_for_user
from chunnuan.access.scoping import RegionScopedModel, actor_scope
from chunnuan.accounts.models import User
from chunnuan.accounts.selectors import _users_in_reach
from chunnuan.core import synthetic
from chunnuan.core.testing import make_user
from chunnuan.regions.models import Region, RegionKind, RegionLevel
from chunnuan.workers.models import Worker
from config.api import api

# Public reference data: a sibling may read a region's name and children (never write).
PUBLIC_READS = re.compile(r"^(/regions/|/api/v1/regions/)")
# Routes whose success legitimately writes for the caller themself.
SELF_WRITES = {"/accounts/logout/", "/i18n/setlang/"}
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/api/v1/docs", "/api/v1/openapi.json")
BOOKKEEPING = {"last_used_at", "last_login"}  # touched by a successful sign-in, not a change of data
MARKERS = ("甲镇测试工人", "团结测试建筑有限公司")


def _page_routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("api/v1/"):
                continue
            yield from _page_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route.lstrip("^").rstrip("$")


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "axes", "admin", "contenttypes", "django_tasks_db"}:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in BOOKKEEPING]
        rows = model._base_manager.order_by("pk").values_list(*fields)
        digest.update(model._meta.label.encode())
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


WALKERS = ("township", "county", "city", "province", "clerk", "worker")


def _make_walker(kind: str, personas: Any) -> Any:
    """A user of ``kind`` who must see none of 团结街道's records (see the module docstring)."""
    if kind == "township":
        return make_user("sibling_township", "admin", ["220702002000"])
    if kind == "county":
        return make_user("sibling_county", "admin", ["220721000000"])
    if kind == "city":
        Region.objects.get_or_create(
            code="220100000000",
            valid_to=None,
            defaults={
                "name": "长春市",
                "short_name": "长春",
                "level": RegionLevel.CITY,
                "kind": RegionKind.CITY,
                "parent": Region.objects.get(code="220000000000", valid_to=None),
            },
        )
        return make_user("sibling_city", "admin", ["220100000000"])
    if kind == "province":
        return make_user("sibling_province", "admin", ["500000000000"])
    system = system_actor("walk-setup")
    if kind == "clerk":
        from chunnuan.employers.services import employer_register
        from chunnuan.employers.types import EmployerIn

        other = employer_register(
            actor=system,
            data=EmployerIn(
                credit_code=synthetic.credit_code(random.Random(11), "220702"),
                name="团结另一家商贸有限公司",
                region_code="220702001000",
            ),
        )
        return make_user("other_clerk", "employer_clerk", kind="employer", employer=other)
    from chunnuan.workers.services import worker_register
    from chunnuan.workers.types import WorkerIn

    record = worker_register(
        actor=system,
        data=WorkerIn(
            name="乙镇另一工人",
            id_number=synthetic.id_from_parts("220702", dt.date(1991, 5, 6), 417),
            phone="13900139000",
            origin_region_code="220702001000",
            work_region_code="220702001000",
        ),
    )
    return make_user("other_worker", "worker", kind="worker", worker=record)


def _readable_by(actor: Any, model: Any) -> Any:
    """The rows of ``model`` the actor may read. ``visible_to``, except where a selector grants a
    deliberate wider read: an employer's clerk reads the campaigns issued for its employer's regions
    (a campaign is a public notice, and the clerk fills its base form)."""
    from chunnuan.reporting.models import Campaign
    from chunnuan.reporting.selectors import campaign_list

    if model is Campaign:
        return campaign_list(actor=actor)
    return model.objects.visible_to(actor)


def _build_world(kind: str, personas: Any) -> dict[str, Any]:
    """Records of 团结街道 of every kind that exists, and a walker who must see none of them."""
    system = system_actor("walk-setup")
    with actor_scope(system):
        _create_owned_records(personas)
        walker = _make_walker(kind, personas)
        hidden: set[int] = set()  # one out-of-reach record of each model (plus a user)
        visible: set[int] = set()
        actor = actor_for_user(walker)
        for model in apps.get_models():
            if issubclass(model, RegionScopedModel):
                all_pks = set(model.objects.unscoped(reason="walk: every row").values_list("pk", flat=True))
                seen = set(_readable_by(actor, model).values_list("pk", flat=True))
                hidden |= set(sorted(all_pks - seen)[-1:])
                visible |= seen
        users_seen = set(_users_in_reach(actor).values_list("pk", flat=True))
        visible |= users_seen
        hidden |= set(sorted(set(User.objects.values_list("pk", flat=True)) - users_seen)[-1:])
    candidates = sorted(hidden - visible)
    assert candidates, "the walk needs records out of the walker's reach"
    return {"kind": kind, "walker": walker, "candidates": candidates, "personas": personas}


@pytest.fixture(params=WALKERS)
def world(request, personas):
    return _build_world(request.param, personas)


@pytest.fixture
def township_world(personas):
    """One walker (the sibling township) for the anonymous walks and the mutation tests."""
    return _build_world("township", personas)


def _create_owned_records(personas) -> None:
    """One record of each capability in 团结街道 — later issues add theirs here."""
    from chunnuan.audit.models import AuditAction
    from chunnuan.audit.services import audit_record
    from chunnuan.batch.services import run_start
    from chunnuan.notifications.services import message_enqueue

    owner = personas.actor("township_a")
    audit_record(actor=owner, action=AuditAction.OTHER, obj=personas.worker_record, note="walk")
    message_enqueue(
        actor=owner,
        channel="sms",
        recipient="13800138000",
        body="甲镇测试工人 您好",
        region_code="220702001000",
    )

    from chunnuan.employers.services import contract_sign, employment_add
    from chunnuan.employers.types import ContractIn, EmploymentIn
    from chunnuan.workers.services import worker_event_add
    from chunnuan.workers.types import WorkerEventIn

    worker_event_add(
        actor=owner,
        worker_id=personas.worker_record.pk,
        data=WorkerEventIn(kind="returned", date=dt.date(2026, 1, 20)),
    )
    employment = employment_add(
        actor=owner,
        employer_id=personas.employer.pk,
        data=EmploymentIn(worker_id=personas.worker_record.pk, start_date=dt.date(2025, 3, 1), post="钢筋工"),
    )
    contract_sign(
        actor=owner,
        employment_id=employment.pk,
        data=ContractIn(
            contract_type="fixed_term",
            signed_date=dt.date(2025, 3, 1),
            start_date=dt.date(2025, 3, 1),
            end_date=dt.date(2027, 2, 28),
        ),
    )
    admin_a = make_user("admin_a", "admin", ["220702001000"])
    run_start(actor=actor_for_user(admin_a), kind="audit_export", params={})
    _create_reporting_records(personas)


def _create_reporting_records(personas) -> None:
    """A campaign issued by 团结街道 itself (so its sibling cannot see it), with its stages, forms
    and a target; the township's 旬 form and the employer's base form (with their events), and the
    employer's roster tally."""

    from chunnuan.reporting.models import RosterTally
    from chunnuan.reporting.services import campaign_create, submission_open, submission_save, target_set
    from chunnuan.reporting.types import CampaignFormIn, CampaignIn, StageIn, SubmissionValuesIn, TargetIn

    campaign = campaign_create(
        actor=personas.actor("county"),
        data=CampaignIn(
            code="WALK2026",
            name="团结街道春暖行动",
            region_code="220702001000",
            start_date=dt.date(2026, 1, 5),
            end_date=dt.date(2026, 3, 31),
            stages=[StageIn(kind="mobilise", start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 15))],
            forms=[CampaignFormIn(form_code="CN_CONTRACT_BASE"), CampaignFormIn(form_code="SF_DISPATCH")],
        ),
    )
    target_set(
        actor=personas.actor("county"),
        campaign=campaign,
        data=TargetIn(region_code="220702001000", indicator="contract_signing_rate", value=90),
    )
    township = personas.actor("township_a")
    dispatch = submission_open(
        actor=township, form_code="SF_DISPATCH", period_key="2026-02D2", region_code="220702001000"
    )
    submission_save(actor=township, submission=dispatch, data=SubmissionValuesIn(values={"trainings": 2}))
    clerk = personas.actor("clerk")
    base = submission_open(actor=clerk, form_code="CN_CONTRACT_BASE", period_key="WALK2026")
    submission_save(actor=clerk, submission=base, data=SubmissionValuesIn(filler_name="张三"))
    RosterTally.plain.update_or_create(
        employer=personas.employer,
        defaults={"region_code": personas.employer.region_code, "as_of": dt.date(2026, 1, 20), "on_roll": 1},
    )


def _fill(route: str, value: str) -> str:
    def sub(match: re.Match[str]) -> str:
        converter, name = (match.group(1) or "str"), match.group(2)
        if name == "field":
            return "id_number"
        if converter == "int" or name.endswith("id") or name == "pk":
            return value
        return "220702001000"

    return re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)


def _body_bytes(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _readable(response: Any) -> str:
    """What a person would read in the response: decoded JSON, a spreadsheet's cells, CSV text."""
    body = _body_bytes(response)
    ctype = response.get("Content-Type", "")
    if "json" in ctype:
        try:
            return json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            return body.decode("utf-8", "replace")
    if "spreadsheetml" in ctype or body[:2] == b"PK":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(cell) for cell in row if cell is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if "csv" in ctype:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return body.decode(encoding)
            except UnicodeDecodeError:
                continue
    return body.decode("utf-8", "replace")


def _leaks(response: Any, where: str) -> list[str]:
    text = _readable(response)
    return [f"{where} shows another unit's record ({marker})" for marker in MARKERS if marker in text]


EXPORTS = ("?export=xlsx", "?export=csv", "?export=xlsx&full=1")


def walk_pages(client: Any, world: dict[str, Any], *, only: str = "") -> list[str]:
    """Every page route as the walker: records out of reach refused, lists and their exports free of
    markers, nothing stored changed. Returns the failures (empty when the walk passes)."""
    failures: list[str] = []
    who = world["kind"]
    client.force_login(world["walker"])
    routes = [r for r in _page_routes() if not r.startswith(SKIP_PREFIXES) and r.startswith(only or "/")]
    for route in routes:
        values = [str(pk) for pk in world["candidates"]] if "<" in route else [""]
        for value in values:
            url = _fill(route, value)
            public = bool(PUBLIC_READS.match(url))
            get = client.get(url)
            if "<" in route and not public:
                if get.status_code not in (403, 404, 405):
                    failures.append(f"{who}: GET {url} answered {get.status_code}")
            elif get.status_code == 200 and not public:
                failures += _leaks(get, f"{who}: GET {url}")
                if "<" not in route and "html" in get.get("Content-Type", ""):
                    for query in EXPORTS:
                        export = client.get(url + query)
                        if export.status_code == 200:
                            failures += _leaks(export, f"{who}: GET {url}{query}")
            before = _fingerprint()  # after the reads: an audited whole-number export writes its audit row
            post = client.post(url, {})
            if route not in SELF_WRITES:
                if _fingerprint() != before:
                    failures.append(f"{who}: POST {url} changed stored data")
                if "<" in route and post.status_code not in (400, 403, 404, 405):
                    failures.append(f"{who}: POST {url} answered {post.status_code}")
            client.force_login(world["walker"])
    return failures


@pytest.mark.django_db
def test_every_page_refuses_the_walker(world, client):
    assert len(list(_page_routes())) > 10
    failures = walk_pages(client, world)
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_every_page_refuses_anonymous(township_world, client):
    world = township_world
    failures: list[str] = []
    for route in (r for r in _page_routes() if not r.startswith(SKIP_PREFIXES)):
        url = _fill(route, str(world["candidates"][0]))
        before = _fingerprint()
        for response in (client.get(url), client.post(url, {})):
            if response.status_code == 200:
                failures += _leaks(response, f"anonymous {url}")
        if _fingerprint() != before:
            failures.append(f"anonymous POST {url} changed stored data")
    assert not failures, "\n".join(failures)


@functools.cache
def _openapi() -> dict[str, Any]:
    """The schema once per process: generating it takes seconds, and it never changes in a run."""
    return dict(api.get_openapi_schema())


def _api_operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    schema = _openapi()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _body_for(operation: dict[str, Any], value: str) -> dict[str, Any]:
    schema = _openapi()
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    if not ref:
        return {}
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    body: dict[str, Any] = {}
    for name, prop in component.get("properties", {}).items():
        kind = prop.get("type")
        if kind == "integer":
            body[name] = int(value)
        elif kind == "boolean":
            body[name] = True
        elif kind == "array":
            body[name] = ["220702001000"] if "code" in name else []
        elif "code" in name:
            body[name] = "220702001000"
        else:
            body[name] = "测试"
    return body


def _fill_api(path: str, value: str) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "field":
            return "id_number"
        return value if name.endswith("id") else "220702001000"

    return re.sub(r"\{(\w+)\}", sub, path)


def _api_call(client, method: str, url: str, body: dict[str, Any], **headers: Any):
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **headers)


def walk_api(client: Any, world: dict[str, Any], auth: str, *, only: str = "") -> list[str]:
    """Every API operation as the walker (``session``), an integration client of the sibling
    township (``token``) or nobody (``anonymous``). Returns the failures."""
    failures: list[str] = []
    headers: dict[str, str] = {}
    who = f"{world['kind']}/{auth}"
    if auth == "session":
        client.force_login(world["walker"])
    elif auth == "token":
        from chunnuan.accounts.services import api_token_issue
        from chunnuan.accounts.types import ApiTokenIn

        issuer = world["personas"].actor("admin")
        _, raw = api_token_issue(
            actor=issuer, user_id=world["personas"].integration.pk, data=ApiTokenIn(name="walk")
        )
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    operations = [op for op in _api_operations() if op[0].startswith(only or "/")]
    for path, method, operation in operations:
        values = [str(pk) for pk in world["candidates"]] if "{" in path else [str(world["candidates"][0])]
        for value in values:
            url = _fill_api(path, value)
            public = bool(PUBLIC_READS.match(url))
            before = _fingerprint()
            response = _api_call(client, method, url, _body_for(operation, value), **headers)
            if method == "get" and response.status_code == 200 and not public:
                if "{" in path:
                    failures.append(f"{who} GET {url} answered 200")
                failures += _leaks(response, f"{who} GET {url}")
            if method != "get" and "{" in path and response.status_code < 400:
                failures.append(f"{who} {method.upper()} {url} answered {response.status_code}")
            if auth == "anonymous" and response.status_code not in (401, 403, 404, 405):
                failures.append(f"anonymous {url}: {response.status_code}")
            if _fingerprint() != before:
                failures.append(f"{who} {method.upper()} {url} changed stored data")
            if response.status_code >= 400:
                payload = response.json()
                if not {"code", "message", "fields"} <= payload.keys():
                    failures.append(f"{who} {url}: error shape {payload}")
    return failures


@pytest.mark.django_db
def test_every_api_operation_refuses_the_walker(world, client):
    assert len(list(_api_operations())) > 5
    failures = walk_api(client, world, "session")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("auth", ["token", "anonymous"])
def test_every_api_operation_refuses_the_sibling_client_and_anonymous(township_world, client, auth):
    failures = walk_api(client, township_world, auth)
    assert not failures, "\n".join(failures)


# --- The walk proves itself: remove the scoping from one place, and the walk must fail. ----------


@contextmanager
def _visible_to_everything() -> Iterator[None]:
    """While active, ``visible_to`` returns every row (the mutation: scoping forgotten)."""
    manager_class = type(Worker.objects)
    original = manager_class.visible_to

    def leak(self: Any, actor: Any, *args: Any, **kwargs: Any) -> Any:
        return self.unscoped(reason="mutation test: scoping removed")

    manager_class.visible_to = leak  # type: ignore[method-assign]
    try:
        yield
    finally:
        manager_class.visible_to = original  # type: ignore[method-assign]


def _unscoped_call(func: Any) -> Any:
    """``func`` with its scoping removed: every ``visible_to`` inside the call returns every row."""

    @functools.wraps(func)
    def mutant(*args: Any, **kwargs: Any) -> Any:
        with _visible_to_everything():
            return func(*args, **kwargs)

    return mutant


MUTATIONS = {
    # a list page (a county officer would see another county's people)
    "list": ("chunnuan.workers.selectors.worker_list", "county", "pages", "/workers/"),
    # a detail page
    "detail": ("chunnuan.workers.selectors.worker_get", "township", "pages", "/workers/"),
    # API lists (the JSON is written with \u escapes)
    "api_list_employers": (
        "chunnuan.employers.selectors.employer_list",
        "township",
        "api",
        "/api/v1/employers",
    ),
    "api_list_audit": ("chunnuan.audit.selectors.audit_event_list", "township", "api", "/api/v1/audit"),
}


@pytest.mark.mutation
@pytest.mark.django_db
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_mutation_is_caught_by_the_walk(mutation, personas, client, monkeypatch):
    target, walker, walk, only = MUTATIONS[mutation]
    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    monkeypatch.setattr(module, name, _unscoped_call(getattr(module, name)))
    world = _build_world(walker, personas)
    failures = (
        walk_pages(client, world, only=only)
        if walk == "pages"
        else walk_api(client, world, "session", only=only)
    )
    assert failures, f"the walk did not notice the scoping removed from {target}"


@pytest.mark.mutation
@pytest.mark.django_db
def test_mutation_export_is_caught_by_the_walk(personas, client, monkeypatch):
    """The list page stays scoped; only its spreadsheet export reads every row."""
    from chunnuan.workers import views

    original = views._export

    def leaky_export(request: Any, workers: Any, *args: Any, **kwargs: Any) -> Any:
        return original(request, Worker.objects.unscoped(reason="mutation test"), *args, **kwargs)

    monkeypatch.setattr(views, "_export", leaky_export)
    world = _build_world("county", personas)
    failures = walk_pages(client, world, only="/workers/")
    assert any("export" in failure for failure in failures), failures
