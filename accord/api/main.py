"""The API object: bearer-token authentication on every operation, one error shape throughout.

The interactive docs page is off: the site's content security policy allows no inline script,
and the machine-readable description at `openapi.json` is what clients need.

Every operation's input is checked for characters no text may hold once it is parsed
(`accord.api.checks`); a body beyond its route's limit is refused before it is read
(`accord.web.middleware.InputLimitsMiddleware`), so every operation whose method may carry a
body documents a 413.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from accord.accounts.api import admin as accounts
from accord.accounts.api import me
from accord.api import checks, errors
from accord.api.auth import ApiTokenAuth
from accord.audit import api as audit
from accord.concerns import api as concerns
from accord.core.limits import BODILESS, BodyLimit
from accord.directory.api import manage as directory_admin
from accord.directory.api import pages as directory
from accord.library.api import reviews as library_reviews
from accord.library.api import search as library_search
from accord.library.api import versions as library
from accord.library.parsing.limits import IMPORT_JSON_BODY
from accord.procedures import api as procedures
from accord.procedures.errors import ProcedureRefused
from accord.procedures.schemas import refused_response
from accord.profiles import api as profiles
from accord.registers import api as registers

# Routes (by URL name) that take a body larger than the usual limit: the file of an import.
BODY_LIMITS: dict[str, BodyLimit] = {"protocol_import": IMPORT_JSON_BODY}

TOO_LARGE = {
    "description": "Content Too Large",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}


# Operation ids are what clients generate code from, so they stay as first published, when
# every router lived in this package; a router added since is named after its own module.
PUBLISHED_OPERATION_PREFIXES = {
    "accord.accounts.api.admin": "accord_api_accounts",
    "accord.accounts.api.me": "accord_api_me",
    "accord.audit.api": "accord_api_audit",
    "accord.concerns.api": "accord_api_concerns",
    "accord.directory.api.manage": "accord_api_directory_admin",
    "accord.directory.api.pages": "accord_api_directory",
    "accord.library.api.reviews": "accord_api_library_reviews",
    "accord.library.api.search": "accord_api_library_search",
    "accord.library.api.versions": "accord_api_library",
    "accord.procedures.api": "accord_api_procedures",
    # The rules were published with the cases' operations; their ids stay.
    "accord.profiles.api": "accord_api_procedures",
    "accord.registers.api": "accord_api_registers",
}


class AccordApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        prefix = PUBLISHED_OPERATION_PREFIXES.get(module, module.replace(".", "_"))
        return f"{prefix}_{operation.view_func.__name__}"

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


@api.exception_handler(ProcedureRefused)
def on_refusal(request: HttpRequest, refused: ProcedureRefused) -> HttpResponse:
    """A refusal no endpoint answered itself: every procedure's refusals answer alike."""
    return refused_response(refused)


api.add_router("/directory", directory.router)
api.add_router("/directory", directory_admin.router)
api.add_router("/audit", audit.router)
api.add_router("", me.router)
api.add_router("/accounts", accounts.router)
api.add_router("/rules", profiles.router)
api.add_router("/cases", procedures.cases_router)
api.add_router("/registers", registers.router)
api.add_router("/concerns", concerns.router)
api.add_router("/protocols", library.router)
api.add_router("/protocols", library.keeper_router)
api.add_router("/protocols", library_search.router)
api.add_router("/protocol-reviews", library_reviews.reviews_router)
api.add_router("/protocol-acknowledgements", library_reviews.acknowledgements_router)
