from ninja import NinjaAPI

from bryggan.api import errors
from bryggan.api.auth import ActorAuth
from bryggan.matching.api import router as matching_router
from bryggan.organisation.api import router as organisation_router
from bryggan.programme.api import router as programme_router
from bryggan.recruitment.api import public_router as public_recruitment_router
from bryggan.recruitment.api import router as recruitment_router

api = NinjaAPI(
    title="Bryggan API",
    version="1",
    # Integrators' documentation is in English; error messages follow the user's language.
    description=(
        "The organisation, recruitment, matching and programme of a municipality in Bryggan. "
        "Authenticate with a personal API token (create one under *API-nycklar / API tokens* "
        "in Bryggan) sent as `Authorization: Bearer TOKEN`, or use the browser session. "
        "Every call acts within "
        "your municipality and role; another municipality's records answer 404."
    ),
    auth=ActorAuth(),
    urls_namespace="api",
)
errors.install(api)
api.add_router("/organisation/", organisation_router)
api.add_router("/recruitment/", recruitment_router)
api.add_router("/matching/", matching_router)
api.add_router("/programme/", programme_router)
api.add_router("/public/", public_recruitment_router)
