from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def council(request: HttpRequest) -> dict[str, Any]:
    from accord.directory.models import Council

    name = settings.ACCORD_COUNCIL_NAME
    if not name:
        council_row = Council.objects.only("name").first()
        name = council_row.name if council_row else "Accord"
    return {"council_name": name}
