"""Domain errors shared by services, views and the API."""

from __future__ import annotations


class InvalidInputError(Exception):
    """Input that failed validation; ``errors`` maps field names to translated messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid input")
        self.errors = errors
