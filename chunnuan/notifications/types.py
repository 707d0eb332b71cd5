"""Input types of the outbox selectors and services (shared by the page and the API)."""

from __future__ import annotations

from pydantic import BaseModel

from chunnuan.core.inputs import Day


class MessageFilter(BaseModel):
    channel: str = ""
    status: str = ""
    purpose: str = ""
    date_from: Day | None = None
    date_to: Day | None = None
    q: str = ""  # a recipient's phone number (exact) or WeChat id
