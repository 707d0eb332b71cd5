"""Fixtures for every test: the named personas (see chunnuan.core.testing)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.core.testing import Personas, make_personas, make_regions


@pytest.fixture(autouse=True)
def _fresh_state(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_LOG_FILE = tmp_path / "outbox.log"
    cache.clear()


@pytest.fixture
def regions(db):
    return make_regions()


@pytest.fixture
def personas(db) -> Personas:
    with actor_scope(system_actor("test-setup")):
        return make_personas()


@pytest.fixture
def system():
    actor = system_actor("tests")
    with actor_scope(actor):
        yield actor
