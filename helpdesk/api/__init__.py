"""The API for other systems (a web shop, a social-media tool): open tickets and follow them.

Mounted at /api/. The OpenAPI description is at /api/openapi.json and readable docs at
/api/docs (served from our own static files).
"""

from ninja import NinjaAPI, Swagger

from helpdesk.api import errors
from helpdesk.api.auth import IntegrationToken
from helpdesk.api.input import ObjectParser
from helpdesk.api.tickets import router as tickets_router

api = NinjaAPI(
    title="Helpdesk API",
    version="1",
    description=(
        "Open tickets for your customers and follow them. Authenticate with "
        "`Authorization: Bearer <token>`; a manager creates tokens under API integrations."
    ),
    urls_namespace="api",
    auth=IntegrationToken(),
    parser=ObjectParser(),
    # No online validator badge: the docs page loads nothing from outside.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs/",
)
errors.install(api)
api.add_router("/tickets", tickets_router)
