"""The API object: bearer-token authentication on every operation, one error shape throughout.

The interactive docs page is off: the site's content security policy allows no inline script,
and the machine-readable description at `openapi.json` is what clients need.

Every operation's input is checked for characters no text may hold once it is parsed
(`accord.api.checks`); a body beyond its route's limit is refused before it is read
(`accord.web.middleware.InputLimitsMiddleware`), so every operation whose method may carry a
body documents a 413.
"""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from accord.api import (
    accounts,
    audit,
    checks,
    concerns,
    directory,
    directory_admin,
    errors,
    library,
    library_reviews,
    library_search,
    me,
    procedures,
    registers,
)
from accord.api.auth import ApiTokenAuth
from accord.core.limits import BODILESS, BodyLimit
from accord.library.parsing.limits import IMPORT_JSON_BODY

# Routes (by URL name) that take a body larger than the usual limit: the file of an import.
BODY_LIMITS: dict[str, BodyLimit] = {"protocol_import": IMPORT_JSON_BODY}

TOO_LARGE = {
    "description": "Content Too Large",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}


class AccordApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method.upper() not in BODILESS:
                    operation["responses"].setdefault(413, TOO_LARGE)
        return schema


api = AccordApi(
    title="Accord API",
    version="1",
    description=(
        "The council directory, the protocol's rules, the cases they run and the register of"
        " declared relationships. Authenticate with"
        " `Authorization: Bearer <token>`; tokens are issued with `accord token create USERNAME`."
        " Errors always have the shape"
        ' `{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`.'
    ),
    urls_namespace="api",
    auth=ApiTokenAuth(),
    docs_url=None,
)
errors.install(api, body_params=checks.BODY_PARAMS)
api.add_decorator(checks.refuse_unusable_characters)
api.add_router("/directory", directory.router)
api.add_router("/directory", directory_admin.router)
api.add_router("/audit", audit.router)
api.add_router("", me.router)
api.add_router("/accounts", accounts.router)
api.add_router("/rules", procedures.rules_router)
api.add_router("/cases", procedures.cases_router)
api.add_router("/registers", registers.router)
api.add_router("/concerns", concerns.router)
api.add_router("/protocols", library.router)
api.add_router("/protocols", library.keeper_router)
api.add_router("/protocols", library_search.router)
api.add_router("/protocol-reviews", library_reviews.reviews_router)
api.add_router("/protocol-acknowledgements", library_reviews.acknowledgements_router)
