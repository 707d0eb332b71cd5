"""WSGI entry point for benchmarks only: the project's application, plus ``/bench/bare``.

``/bench/bare`` answers with a minimal Django ``HttpResponse`` before URL resolution and middleware:
the floor cost of one request through the same gunicorn workers, interpreter and Django import.
Every other path goes to ``config.wsgi.application`` unchanged. Never deployed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.http import HttpResponse

from config.wsgi import application as django_application

BARE_PATH = "/bench/bare"


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == BARE_PATH:
        response = HttpResponse(b"ok", content_type="text/plain; charset=utf-8")
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return response
    return django_application(environ, start_response)
