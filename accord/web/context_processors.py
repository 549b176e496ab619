from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accord.directory.selectors import council_get


def council(request: HttpRequest) -> dict[str, Any]:
    """The council's name for the page header: from settings if set, else the directory."""
    name = settings.ACCORD_COUNCIL_NAME
    if not name:
        council_row = council_get()
        name = council_row.name if council_row else "Accord"
    return {"council_name": name}
