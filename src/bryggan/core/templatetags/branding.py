"""Whose look a page wears: the signed-in user's municipality, or on a public page the
municipality the page is about (its ``municipality`` in the context); None for Bryggan's."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def brand(context):
    actor = context.get("actor")
    own = getattr(actor, "municipality", None)
    if own is not None:
        return own
    shown = context.get("municipality")
    return shown if hasattr(shown, "slug") and hasattr(shown, "brand_colour") else None
