"""Moving code between apps changes no address: every web path keeps its URL name, and every API
operation keeps its path, method and operationId.

`snapshots/routes.json` is the list as it stood before the apps took over their own pages and
routers. A route added on purpose is added to the file in the same change (run this module with
`ACCORD_WRITE_ROUTES=1` to rewrite it, and read the diff); a route that changes by accident fails.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from accord.api.main import api

SNAPSHOT = Path(__file__).parent / "snapshots" / "routes.json"


def _web_routes(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _web_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + route, pattern.name or ""


def current_routes() -> dict[str, Any]:
    web = sorted(
        {f"{path} {name}" for path, name in _web_routes(get_resolver()) if "api/v1/" not in path}
    )
    schema = api.get_openapi_schema()
    operations = sorted(
        f"{method.upper()} {path} {operation['operationId']}"
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    )
    return {"web": web, "api": operations}


def test_every_path_keeps_its_url_name_and_every_api_operation_its_id():
    routes = current_routes()
    if os.environ.get("ACCORD_WRITE_ROUTES") == "1":
        SNAPSHOT.write_text(json.dumps(routes, indent=1) + "\n")
    snapshot = json.loads(SNAPSHOT.read_text())

    assert routes["web"] == snapshot["web"]
    assert routes["api"] == snapshot["api"]
