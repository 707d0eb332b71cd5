"""Guard: the OpenAPI document is true (issue 9 defect 7 and its CI guard).

A bounded Schemathesis run over every operation of the API, in-process through Django's WSGI
handler, as three callers: nobody, an integration client (Bearer token) and a signed-in officer
(session cookie and CSRF token). Every operation gets ``MAX_EXAMPLES`` valid and ``MAX_EXAMPLES``
invalid requests (derandomized: the same cases every run). The run fails on

- any 5xx (``not_a_server_error``),
- a status the operation does not document (``status_code_conformance``),
- a body or content type that is not the documented one (``response_schema_conformance``,
  ``content_type_conformance``),
- an invalid request accepted with a 2xx (``negative_data_rejection``: the schema's constraints are
  what the code checks), and a valid request refused with 400/422 (``positive_data_acceptance``).

Run alone: ``pytest -m contract``. The figures are recorded in docs/security.md.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api

pytestmark = [pytest.mark.contract, pytest.mark.django_db]

# Examples per operation and kind (valid, invalid). Anonymous callers get 401 everywhere: fewer suffice.
MAX_EXAMPLES = {"anonymous": 4, "token": 12, "officer": 12}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]


# 400 is a refusal by a rule the schema cannot state (a check digit, a region that does not exist,
# from-date after to-date); 422 means "not what the document allows", so valid data must never get it.
# NUL is refused in every string (the API's description says so; chunnuan.core.api_parser).
CONFIG = {
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "412", "429"]
        }
    },
    "generation": {"allow-x00": False},
}


# Multipart: the WSGI transport drops an empty file part and values that are objects, so a "valid"
# generated upload arrives without ``file`` or ``kind`` and is rightly refused. The import's answers are
# covered by chunnuan/batch/tests; every other check still applies to this operation.
TRANSPORT_ARTEFACTS = {("POST /api/v1/runs/imports", "Schema-valid request rejected")}


def _schema() -> Any:
    config = SchemathesisConfig.from_dict(CONFIG)
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=config)
    schema.app = WSGIHandler()
    return schema


@pytest.fixture
def keep_connection() -> Any:
    """Django's test client does this too: the WSGI handler would close the test's database connection
    at the end of every request (harmless on in-memory SQLite, fatal to the test on PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _credentials(auth: str, personas: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, cookies) for the caller."""
    if auth == "token":
        from chunnuan.accounts.services import api_token_issue
        from chunnuan.accounts.types import ApiTokenIn

        _, raw = api_token_issue(
            actor=personas.actor("admin"), user_id=personas.integration.pk, data=ApiTokenIn(name="contract")
        )
        return {"Authorization": f"Bearer {raw}"}, {}
    if auth == "officer":
        client = Client()
        client.force_login(personas.county)
        secret = _get_new_csrf_string()
        cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: secret,
        }
        return {"X-CSRFToken": secret}, cookies
    return {}, {}


def _request(case: Any) -> str:
    return f"path={case.path_parameters} query={case.query} body={str(case.body)[:120]}"


def _probe(
    operation: Any,
    mode: GenerationMode,
    auth: tuple[dict[str, str], dict[str, str]],
    found: Counter[str],
    examples: int,
) -> int:
    """``examples`` requests of one kind to one operation; failures counted into ``found``."""
    headers, cookies = auth
    cases = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def probe(case: Any) -> None:
        nonlocal cases
        cases += 1
        response = case.call(headers=headers, cookies=cookies)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup) as exc:
            for failure in exc.exceptions if isinstance(exc, FailureGroup) else (exc,):
                if (operation.label, failure.title) in TRANSPORT_ARTEFACTS:
                    continue
                where = f"{operation.label} [{mode.value}] {response.status_code}"
                found[f"{where}: {failure.title} ({_request(case)}) -> {response.text[:160]}"] += 1

    probe()
    return cases


def run_contract(auth: str, personas: Any) -> tuple[int, list[str]]:
    """Every operation, valid and invalid requests; returns (cases, distinct failures)."""
    credentials = _credentials(auth, personas)
    cases = 0
    found: Counter[str] = Counter()
    for result in _schema().get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            cases += _probe(result.ok(), mode, credentials, found, MAX_EXAMPLES[auth])
    return cases, sorted(found)


@pytest.mark.parametrize("auth", ["anonymous", "token", "officer"])
def test_openapi_document_is_true(auth: str, personas: Any, settings: Any, keep_connection: Any) -> None:
    # Invalid requests include wrong tokens; the per-address throttle (tested in accounts) would soon
    # answer 429 to everything and leave the rest of the run untested.
    settings.API_TOKEN_FAILURES_PER_ADDRESS = 1_000_000
    cases, failures = run_contract(auth, personas)
    print(f"contract as {auth}: {cases} cases, {len(failures)} distinct failures")
    assert cases > 0
    assert not failures, f"{len(failures)} contract failures as {auth}:\n" + "\n".join(failures)


# -- the defects the run found, pinned one by one (fail without their fix) ----------------------


def test_every_operation_documents_the_shared_errors() -> None:
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            documented = {str(status) for status in operation["responses"]}
            missing = {"400", "401", "403", "404", "422", "429"} - documented
            assert not missing, f"{method.upper()} {path} does not document {sorted(missing)}"


@pytest.fixture
def officer_client(personas: Any) -> Client:
    client = Client()
    client.force_login(personas.county)
    return client


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/workers/?age_min=121", "age_min"),
        ("/api/v1/workers/?age_max=200", "age_max"),
        ("/api/v1/workers/?age_min=-1", "age_min"),
        ("/api/v1/workers/?age_max=2100&registered_to=2845-10-30", "age_max"),
        ("/api/v1/workers/?registered_from=0", "registered_from"),
        ("/api/v1/workers/?region=22070a", "region"),
        ("/api/v1/workers/?groups=is_rich", "groups.0"),
        ("/api/v1/workers/?region_side=FALSE", "region_side"),
        ("/api/v1/workers/dynamic?needs=LPT1", "needs.0"),
        ("/api/v1/workers/dynamic?date_to=1700000000", "date_to"),
        ("/api/v1/reporting/submissions?status=lost", "status"),
        ("/api/v1/reporting/campaigns?region=%C3%B0", "region"),
        ("/api/v1/reporting/status?form=x&period=y&region=abc", "region"),
        ("/api/v1/audit/events?date_from=0", "date_from"),
        ("/api/v1/employers/?region=abc", "region"),
    ],
)
def test_query_parameters_are_checked_by_their_schema(officer_client: Client, url: str, field: str) -> None:
    """Issue 9 defect 7: these answered 500 (age) or 400 from inside the view, or 200 (a date "0")."""
    response = officer_client.get(url)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["message"] == "请求数据格式不正确，请检查各字段"
    assert field in body["fields"], body
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in msg) for msg in body["fields"][field]), body


def test_roster_start_to_must_be_a_date(officer_client: Client, personas: Any) -> None:
    url = f"/api/v1/employers/{personas.employer.pk}/roster"
    assert officer_client.get(url + "?start_to=0").status_code == 422
    assert officer_client.get(url + "?start_to=2026-01-31").status_code == 200


def test_age_bounds_still_filter(officer_client: Client) -> None:
    assert officer_client.get("/api/v1/workers/?age_min=0&age_max=120").status_code == 200


def test_nul_is_refused_like_the_form_refuses_it(officer_client: Client, personas: Any) -> None:
    """Issue 9 defect 11: the API stored NUL bytes the form refuses."""
    from chunnuan.access.actor import system_actor
    from chunnuan.access.scoping import actor_scope
    from chunnuan.workers.models import Worker

    with actor_scope(system_actor("test")):
        before = Worker.objects.count()
    body = {
        "name": "乙\x00镇",
        "id_number": "220702199003151254",
        "phone": "13800138011",
        "origin_region_code": "220702000000",
        "work_region_code": "220702000000",
    }
    response = officer_client.post("/api/v1/workers/", data=body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["fields"] == {"name": ["不能包含空字符（NUL）"]}
    response = officer_client.get("/api/v1/workers/?q=%00")
    assert response.status_code == 422 and response.json()["fields"] == {"q": ["不能包含空字符（NUL）"]}
    with actor_scope(system_actor("test")):
        assert Worker.objects.count() == before


def test_malformed_json_answers_in_chinese(officer_client: Client) -> None:
    response = officer_client.post("/api/v1/workers/", data=b"{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_search_by_id_number_keeps_it_out_of_the_url(officer_client: Client, personas: Any) -> None:
    """Issue 9 defect 11: POST /workers/search takes the number in the body."""
    id_number = "220702199003151238"  # the persona worker's (chunnuan.core.testing)
    response = officer_client.post(
        "/api/v1/workers/search", data={"q": id_number}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert [w["id"] for w in response.json()["items"]] == [personas.worker_record.pk]
    assert id_number not in response.content.decode()
    response = officer_client.post("/api/v1/workers/search", data={"q": ""}, content_type="application/json")
    assert response.status_code == 422


def test_outbox_dates_must_be_dates(client: Client, personas: Any) -> None:
    client.force_login(personas.admin)
    assert client.get("/api/v1/notifications/messages?date_from=0").status_code == 422
    assert client.get("/api/v1/notifications/messages?date_from=2026-01-01").status_code == 200
