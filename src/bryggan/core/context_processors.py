from django.http import HttpRequest

from bryggan.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"nav_items": [], "actor": None}
    from bryggan.core.two_factor import owes_second_factor

    if owes_second_factor(request):
        # Until the code is given, the menu would only lead back to the two-factor page.
        return {"nav_items": [], "actor": actor}
    session = getattr(request, "session", None)
    return {"nav_items": navigation_for(actor, request.path, session), "actor": actor}
