from __future__ import annotations

from chunnuan.audit.models import AuditEvent


def _reveals():
    return AuditEvent.objects.unscoped(reason="test").filter(action="reveal").count()


def test_detail_is_masked_and_show_is_audited(personas, client):
    client.force_login(personas.township_a)
    worker = personas.worker_record
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert "2207**********1238" in page and "220702199003151238" not in page and "138****8000" in page
    shown = client.post(f"/workers/{worker.pk}/reveal/id_number/", HTTP_HX_REQUEST="true")
    assert shown.status_code == 200 and "220702199003151238" in shown.content.decode()
    event = AuditEvent.objects.unscoped(reason="test").get(action="reveal")
    assert event.actor_label == "township_a" and event.object_id == str(worker.pk)


def test_roles_without_the_permission_cannot_reveal(personas, client):
    from chunnuan.core.testing import make_user

    leader = make_user("leader_x", "leader", ["220700000000"])
    client.force_login(leader)
    worker = personas.worker_record
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert "2207**********1238" in page and "hx-post" not in page
    assert client.post(f"/workers/{worker.pk}/reveal/id_number/").status_code == 403
    assert _reveals() == 0


def test_sibling_township_gets_404_and_no_audit(personas, client):
    client.force_login(personas.township_b)
    worker = personas.worker_record
    assert client.get(f"/workers/{worker.pk}/").status_code == 404
    assert client.post(f"/workers/{worker.pk}/reveal/phone/").status_code == 404
    assert _reveals() == 0


def test_worker_sees_own_record_only(personas, client):
    client.force_login(personas.worker)
    assert "甲镇测试工人" in client.get("/workers/me/").content.decode()
    assert client.get("/workers/").status_code == 403
    api = client.get(f"/api/v1/workers/{personas.worker_record.pk}")
    assert api.status_code == 200 and api.json()["id_number_masked"] == "2207**********1238"


def test_list_and_export_are_scoped_and_masked(personas, client):
    client.force_login(personas.county)
    assert "甲镇测试工人" in client.get("/workers/").content.decode()
    export = b"".join(client.get("/workers/?export=csv").streaming_content).decode("utf-8-sig")
    assert "2207**********1238" in export and "220702199003151238" not in export
    client.force_login(personas.elsewhere)
    assert "甲镇测试工人" not in client.get("/workers/").content.decode()


def test_reveal_api(personas, client):
    client.force_login(personas.township_a)
    response = client.post(f"/api/v1/workers/{personas.worker_record.pk}/reveal/phone")
    assert response.status_code == 200 and response.json()["value"] == "13800138000"
    assert client.post(f"/api/v1/workers/{personas.worker_record.pk}/reveal/name").status_code == 422


def test_reveal_works_without_javascript_and_audits_each_time(personas, client):
    """Issue 8, defect 2: "显示" removed itself and sent nothing; now a real form posts the reveal."""
    client.force_login(personas.township_a)
    worker = personas.worker_record
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert f'<form method="post" action="/workers/{worker.pk}/reveal/id_number/"' in page
    assert 'hx-target="closest .personal"' in page and "this.remove()" not in page
    shown = client.post(f"/workers/{worker.pk}/reveal/id_number/")
    body = shown.content.decode()
    assert shown.status_code == 200 and "<html" in body and "220702199003151238" in body
    assert "138****8000" in body and "13800138000" not in body  # only the field asked for
    assert shown["Cache-Control"] == "no-store"
    client.post(f"/workers/{worker.pk}/reveal/phone/", HTTP_HX_REQUEST="true")
    assert _reveals() == 2
    notes = set(
        AuditEvent.objects.unscoped(reason="test").filter(action="reveal").values_list("note", flat=True)
    )
    assert notes == {"查看完整身份证号码", "查看完整联系电话"}


def test_the_worker_reveals_their_own_number_on_their_page(personas, client):
    client.force_login(personas.worker)
    worker = personas.worker_record
    mine = client.get("/workers/me/").content.decode()
    assert f'action="/workers/{worker.pk}/reveal/phone/"' in mine
    shown = client.post(f"/workers/{worker.pk}/reveal/phone/")
    body = shown.content.decode()
    assert shown.status_code == 200 and "13800138000" in body and "我的信息" in body
    partial = client.post(f"/workers/{worker.pk}/reveal/id_number/", HTTP_HX_REQUEST="true")
    assert "220702199003151238" in partial.content.decode() and "<html" not in partial.content.decode()
    event = AuditEvent.objects.unscoped(reason="test").filter(action="reveal").first()
    assert event is not None and event.object_id == str(worker.pk)
    assert _reveals() == 2


def test_the_worker_edits_their_phone_intention_and_needs(personas, client):
    """Issue 8, defect 4: /workers/me/edit/ was a 404."""
    from chunnuan.workers.models import Worker

    client.force_login(personas.worker)
    assert 'href="/workers/me/edit/"' in client.get("/workers/me/").content.decode()
    page = client.get("/workers/me/edit/")
    assert page.status_code == 200 and "138****8000" in page.content.decode()
    bad = client.post("/workers/me/edit/", {"phone": "12", "job_intention": "电焊"})
    assert bad.status_code == 400 and "格式不正确" in bad.content.decode()
    ok = client.post("/workers/me/edit/", {"phone": "", "job_intention": "电焊", "needs": ["needs_training"]})
    assert ok.status_code == 302 and ok["Location"] == "/workers/me/"
    worker = Worker.objects.unscoped(reason="test").get(pk=personas.worker_record.pk)
    assert (worker.phone, worker.job_intention, worker.needs_training) == ("13800138000", "电焊", True)
    client.post("/workers/me/edit/", {"phone": "0438-1234567", "job_intention": ""})
    worker = Worker.objects.unscoped(reason="test").get(pk=personas.worker_record.pk)
    assert (worker.phone, worker.job_intention, worker.needs_training) == ("0438-1234567", "", False)
    audit = AuditEvent.objects.unscoped(reason="test").filter(action="update", object_id=str(worker.pk))
    assert audit.count() == 2 and audit.first().actor_label == "worker"


def test_officers_have_no_self_service_edit(personas, client):
    client.force_login(personas.township_a)
    assert client.post("/workers/me/edit/", {"job_intention": "x"}).status_code in (403, 404)
