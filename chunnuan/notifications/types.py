"""Input types of the outbox selectors and services (shared by the page and the API)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class MessageFilter(BaseModel):
    channel: str = ""
    status: str = ""
    purpose: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""  # a recipient's phone number (exact) or WeChat id
