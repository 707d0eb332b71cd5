"""403/404/500 are Chinese pages in the site's layout with a way back (issue 8, defect 5).

pytest-django runs every test with DEBUG off, as the demo and production run."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from chunnuan.core.views import server_error


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", _broken)]
handler500 = "chunnuan.core.views.server_error"


def _assert_layout(page: str) -> None:
    assert 'lang="zh-CN"' in page and 'class="topbar"' in page and 'class="foot"' in page
    assert 'href="/"' in page and "返回首页" in page
    for english in ("Not Found", "Forbidden", "Server Error", "Traceback", "Request Method"):
        assert english not in page


def test_404_is_chinese_in_the_layout_with_a_way_back(personas, client, settings):
    assert settings.DEBUG is False
    client.force_login(personas.county)
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/workers/")
    page = response.content.decode()
    assert response.status_code == 404
    _assert_layout(page)
    assert "未找到" in page
    assert 'href="http://testserver/workers/"' in page and "返回上一页" in page
    assert "实名制台帐" in page  # the menu: the person can go on from here


def test_403_is_chinese_in_the_layout_with_a_way_back(personas, client):
    client.force_login(personas.worker)
    response = client.get("/audit/", HTTP_REFERER="http://testserver/")
    page = response.content.decode()
    assert response.status_code == 403
    _assert_layout(page)
    assert "无权访问" in page and "返回上一页" in page


def test_back_link_never_points_to_another_site(personas, client):
    client.force_login(personas.county)
    page = client.get("/no-such-page/", HTTP_REFERER="https://evil.example.com/").content.decode()
    assert "evil.example.com" not in page and "返回上一页" not in page


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_chinese_in_the_layout(db):
    response = Client(raise_request_exception=False).get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    _assert_layout(page)
    assert "系统错误" in page


def test_500_renders_without_touching_the_database():
    """No ``db`` fixture: any query here would fail the test, as a broken database would."""
    request = RequestFactory().get("/somewhere/")
    response = server_error(request)
    assert response.status_code == 500 and "系统错误" in response.content.decode()


@pytest.mark.parametrize("status", [403, 404, 500])
def test_api_errors_stay_json(personas, client, status):
    from chunnuan.core import views

    request = RequestFactory().get("/api/v1/anything")
    handler = {403: views.permission_denied, 404: views.page_not_found, 500: views.server_error}[status]
    response = handler(request) if status == 500 else handler(request, None)
    assert response.status_code == status and response["Content-Type"] == "application/json"
