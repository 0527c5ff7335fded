from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from bryggan.api import errors
from bryggan.api.auth import ActorAuth
from bryggan.organisation.api import router as organisation_router

api = NinjaAPI(
    title="Bryggan API",
    version="1",
    description=str(
        _(
            "The organisation of a municipality in Bryggan. Authenticate with a personal API "
            "token (create one under “API tokens”) as “Authorization: Bearer <token>”, or use the "
            "browser session. Every call acts within your municipality and role."
        )
    ),
    auth=ActorAuth(),
    urls_namespace="api",
)
errors.install(api)
api.add_router("/organisation/", organisation_router)
