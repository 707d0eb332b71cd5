from __future__ import annotations

import pytest

from chunnuan.access.actor import Actor, ActorKind, system_actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ScopeError, actor_scope, ensure_in_scope, get_visible
from chunnuan.core.errors import NotFound, PermissionDenied
from chunnuan.workers.models import Worker


def officer(*prefixes: str) -> Actor:
    return Actor(
        kind=ActorKind.OFFICER,
        label="t",
        region_prefixes=prefixes,
        permissions=frozenset({Perm.VIEW_WORKERS.value}),
    )


def test_default_manager_refuses_without_an_actor(personas):
    with pytest.raises(ScopeError):
        list(Worker.objects.all())
    with pytest.raises(ScopeError):
        Worker.objects.filter(name="x").count()


def test_unscoped_needs_a_reason(personas):
    with pytest.raises(ScopeError):
        Worker.objects.unscoped(reason=" ")
    assert Worker.objects.unscoped(reason="test").count() == 1


def test_visible_to_by_code_prefix(personas):
    names = lambda actor: list(Worker.objects.visible_to(actor).values_list("name", flat=True))  # noqa: E731
    assert names(officer("220702001")) == ["甲镇测试工人"]  # township A
    assert names(officer("220702")) == ["甲镇测试工人"]  # its county
    assert names(officer("2207")) == ["甲镇测试工人"]  # its city
    assert names(officer("220702002")) == []  # sibling township
    assert names(officer("50")) == []  # another province
    assert names(officer("220702002", "220702001")) == ["甲镇测试工人"]  # a 管委会 over both


def test_work_region_also_sees_the_worker(personas):
    worker = personas.worker_record
    Worker.plain.filter(pk=worker.pk).update(work_region_code="500103000000")
    assert Worker.objects.visible_to(officer("500103")).count() == 1  # destination (输入地)
    assert Worker.objects.visible_to(officer("220702001")).count() == 1  # origin (输出地)
    assert Worker.objects.visible_to(officer("500112")).count() == 0


def test_active_actor_filters_the_default_manager(personas):
    with actor_scope(officer("220702002")):
        assert Worker.objects.count() == 0
    with actor_scope(officer("220702001")):
        assert Worker.objects.count() == 1


def test_worker_and_employer_actors_see_only_their_own(personas):
    assert list(Worker.objects.visible_to(personas.actor("worker"))) == [personas.worker_record]
    assert Worker.objects.visible_to(personas.actor("clerk")).count() == 0
    from chunnuan.employers.models import Employer

    assert list(Employer.objects.visible_to(personas.actor("clerk"))) == [personas.employer]
    assert Employer.objects.visible_to(personas.actor("worker")).count() == 0


def test_ensure_in_scope_and_get_visible_answer_not_found(personas):
    with pytest.raises(NotFound):
        ensure_in_scope(officer("220702002"), personas.worker_record)
    with pytest.raises(NotFound):
        ensure_in_scope(officer("220702002"), "220702001000")
    ensure_in_scope(officer("220702"), "220702001000")
    with pytest.raises(NotFound):
        get_visible(officer("220702002"), Worker, pk=personas.worker_record.pk)
    with pytest.raises(NotFound):
        get_visible(officer("220702001"), Worker, pk="not-a-number")


def test_system_actor_sees_everything_and_permissions_are_checked(personas):
    assert Worker.objects.visible_to(system_actor("t")).count() == 1
    with pytest.raises(PermissionDenied):
        officer("2207").require(Perm.MANAGE_USERS)


def test_actor_for_user_builds_prefixes_and_permissions(personas):
    actor = personas.actor("county")
    assert actor.region_prefixes == ("220702",)
    assert actor.can(Perm.VIEW_WORKERS) and not actor.can(Perm.MANAGE_USERS)
    assert personas.actor("township_a").region_prefixes == ("220702001",)
    leader = personas.actor("city")
    assert leader.covers("220721100000") and not leader.covers("500103000000")
