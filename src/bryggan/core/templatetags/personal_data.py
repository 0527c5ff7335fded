"""Template tags that show contact details and personnummer as core/personal_data.py rules."""

from django import template

from bryggan.core import personal_data

register = template.Library()


@register.simple_tag(takes_context=True)
def contact(context, person, value):
    """{% contact person person.email %}: the value, or "Protected identity"."""
    return personal_data.contact(context["actor"], person, value or "")


@register.simple_tag(takes_context=True)
def personnummer(context, person):
    """{% personnummer person %}: the whole number for those who may, else YYMMDD-XXXX."""
    return personal_data.personnummer_for(context["actor"], person)
