"""Searches that may hold a whole ID number or phone never go into a URL (issue 9 defect 11).

A list's filter form posts; when the search text holds a number (six or more digits, half- or
full-width), the search is kept in the session under a random token and the list is shown at
``?s=<token>``, so no whole number reaches a URL, the browser history or an access log. A search
without such a number redirects to the plain GET URL, as before. Each list keeps its own searches
(``key``); a token belongs to the session that made it.
"""

from __future__ import annotations

import re
import secrets

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect

from chunnuan.core.identifiers import to_halfwidth

SEARCHES_KEPT = 20
_NUMBER = re.compile(r"\d{6}")
# Kept in the URL (the export buttons submit the same form; the pager adds page).
_VISIBLE = ("export", "full")


def search_redirect(request: HttpRequest, key: str, *, field: str = "q") -> HttpResponse:
    """Answer a posted filter form: a redirect to the list with the search in the URL, or — when
    ``field`` holds a number — with ``?s=<token>`` standing for it."""
    params = request.POST.copy()
    params.pop("csrfmiddlewaretoken", None)
    if not _NUMBER.search(to_halfwidth(params.get(field, ""))):
        return redirect(f"{request.path}?{params.urlencode()}" if params else request.path)
    token = secrets.token_urlsafe(9)
    searches = dict(request.session.get(key, {}))
    searches[token] = params.urlencode()
    request.session[key] = dict(list(searches.items())[-SEARCHES_KEPT:])
    visible = QueryDict(mutable=True)
    visible["s"] = token
    for name in _VISIBLE:
        if params.get(name):
            visible[name] = str(params.get(name))
    return redirect(f"{request.path}?{visible.urlencode()}")


def search_params(request: HttpRequest, key: str) -> QueryDict:
    """The list's parameters: the URL's, with a stored search (``?s=<token>``) filled in."""
    params = request.GET.copy()
    stored = request.session.get(key, {}).get(request.GET.get("s", ""))
    if stored:
        for name, values in QueryDict(stored).lists():
            if name not in (*_VISIBLE, "page"):
                params.setlist(name, values)
    return params
