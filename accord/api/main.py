"""The API object: bearer-token authentication on every operation, one error shape throughout.

The interactive docs page is off: the site's content security policy allows no inline script,
and the machine-readable description at `openapi.json` is what clients need.
"""

from ninja import NinjaAPI

from accord.api import (
    accounts,
    audit,
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

api = NinjaAPI(
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
errors.install(api, body_params=frozenset({"payload"}))
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
