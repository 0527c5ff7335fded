from django.http import HttpRequest

from bryggan.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"nav_items": [], "actor": None}
    return {"nav_items": navigation_for(actor, request.path), "actor": actor}
