"""Domain errors shared by services, views and the API."""

from __future__ import annotations


class InvalidInputError(Exception):
    """Input that failed validation; ``errors`` maps field names to translated messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid input")
        self.errors = errors

    @classmethod
    def from_form(cls, form) -> InvalidInputError:
        """A bound form's errors as the domain error (how a service or the API reports them)."""
        return cls({name: [str(m) for m in messages] for name, messages in form.errors.items()})

    def add_to(self, form) -> None:
        """Show the messages on a form: on their field, or above it when no field matches."""
        for name, messages in self.errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)

    @classmethod
    def data_of(cls, form) -> dict:
        """A bound form's cleaned data, or this error with its messages per field."""
        if not form.is_valid():
            raise cls.from_form(form)
        return form.cleaned_data

    def flash(self, request) -> None:
        """Show the messages as error messages on the next page."""
        from django.contrib import messages

        for field_messages in self.errors.values():
            for message in field_messages:
                messages.error(request, message)


def flash_outcome(request, action, done: str):
    """Run ``action`` (validate, then call the service) for a page that answers with a
    redirect: its result and ``done`` as a success message, or None and its messages as
    errors on the next page."""
    from django.contrib import messages

    try:
        result = action()
    except InvalidInputError as error:
        error.flash(request)
        return None
    messages.success(request, done)
    return result
