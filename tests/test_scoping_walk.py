"""Guard (a): walk every page URL and every API operation as an administrator of a *sibling*
township (团结街道's neighbour 文化街道, holding every permission, owning no records) and as an
anonymous visitor. Every URL that names a record out of reach must be refused (404, or 401/403/302
for anonymous), no list may show another township's people, and nothing stored may change.

Routes are discovered from the URL resolver and the OpenAPI schema, so new routes are covered
without touching this file. Reference data that is public (region names and codes) is the one
deliberate exception for reads, listed in PUBLIC_READS.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from chunnuan.access.actor import system_actor
from chunnuan.access.auth import actor_for_user
from chunnuan.access.scoping import RegionScopedModel, actor_scope
from chunnuan.accounts.models import User
from chunnuan.accounts.selectors import _users_in_reach
from chunnuan.core.testing import make_user
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


@pytest.fixture
def world(personas, client):
    """Records of 团结街道 of every kind that exists, and a sibling walker who owns nothing."""
    walker = make_user("sibling_admin", "admin", ["220702002000"])
    system = system_actor("walk-setup")
    with actor_scope(system):
        _create_owned_records(personas)
        hidden: set[int] = set()  # one out-of-reach record of each model (plus a user)
        visible: set[int] = set()
        actor = actor_for_user(walker)
        for model in apps.get_models():
            if issubclass(model, RegionScopedModel):
                all_pks = set(model.objects.unscoped(reason="walk: every row").values_list("pk", flat=True))
                seen = set(model.objects.visible_to(actor).values_list("pk", flat=True))
                hidden |= set(sorted(all_pks - seen)[-1:])
                visible |= seen
        users_seen = set(_users_in_reach(actor).values_list("pk", flat=True))
        visible |= users_seen
        hidden |= set(sorted(set(User.objects.values_list("pk", flat=True)) - users_seen)[-1:])
    candidates = sorted(hidden - visible)
    assert candidates, "the walk needs records out of the walker's reach"
    return {"walker": walker, "candidates": candidates, "personas": personas}


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
    import datetime as dt

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
    import datetime as dt

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


def _assert_no_markers(body: bytes, where: str) -> None:
    text = body.decode("utf-8", "replace")
    for marker in MARKERS:
        assert marker not in text, f"{where} shows another township's record ({marker})"


@pytest.mark.django_db
def test_every_page_refuses_the_sibling_township(world, client):
    client.force_login(world["walker"])
    routes = [r for r in _page_routes() if not r.startswith(SKIP_PREFIXES)]
    assert len(routes) > 10
    for route in routes:
        values = [str(pk) for pk in world["candidates"]] if "<" in route else [""]
        for value in values:
            url = _fill(route, value)
            before = _fingerprint()
            get = client.get(url)
            if "<" in route and not PUBLIC_READS.match(url):
                assert get.status_code in (403, 404, 405), f"GET {url} answered {get.status_code}"
            elif get.status_code == 200 and not PUBLIC_READS.match(url):
                _assert_no_markers(get.content, f"GET {url}")
            post = client.post(url, {})
            if route not in SELF_WRITES:
                assert _fingerprint() == before, f"POST {url} changed stored data"
                if "<" in route:
                    assert post.status_code in (400, 403, 404, 405), f"POST {url} answered {post.status_code}"
            client.force_login(world["walker"])


@pytest.mark.django_db
def test_every_page_refuses_anonymous(world, client):
    for route in (r for r in _page_routes() if not r.startswith(SKIP_PREFIXES)):
        url = _fill(route, str(world["candidates"][0]))
        before = _fingerprint()
        for response in (client.get(url), client.post(url, {})):
            if response.status_code == 200:
                _assert_no_markers(response.content, f"anonymous {url}")
        assert _fingerprint() == before, f"anonymous POST {url} changed stored data"


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


@pytest.mark.django_db
@pytest.mark.parametrize("auth", ["session", "token", "anonymous"])
def test_every_api_operation_refuses_the_sibling_township(world, client, auth):
    headers: dict[str, str] = {}
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
    operations = list(_api_operations())
    assert len(operations) > 5
    for path, method, operation in operations:
        values = [str(pk) for pk in world["candidates"]] if "{" in path else [str(world["candidates"][0])]
        for value in values:
            url = _fill_api(path, value)
            before = _fingerprint()
            response = _api_call(client, method, url, _body_for(operation, value), **headers)
            if method == "get" and response.status_code == 200:
                if "{" in path and not PUBLIC_READS.match(url):
                    pytest.fail(f"{auth} GET {url} answered 200")
                if not PUBLIC_READS.match(url):
                    _assert_no_markers(response.content, f"{auth} GET {url}")
            if method != "get" and "{" in path:
                assert response.status_code >= 400, (
                    f"{auth} {method.upper()} {url} answered {response.status_code}"
                )
            if auth == "anonymous":
                assert response.status_code in (401, 403, 404, 405), (
                    f"anonymous {url}: {response.status_code}"
                )
            assert _fingerprint() == before, f"{auth} {method.upper()} {url} changed stored data"
            if response.status_code >= 400:
                payload = response.json()
                assert {"code", "message", "fields"} <= payload.keys(), f"{url}: error shape {payload}"
