"""Enumerate every URL and API operation, so tests can prove each one keeps tenants apart.

A new URL or API operation that has no entry in the registries of test_isolation.py makes
that test fail until someone says how to request another municipality's data through it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# URL namespaces that are not Bryggan's own pages: the API is enumerated from its OpenAPI
# schema instead; the Django admin is for site administrators only (tested separately).
SKIPPED_NAMESPACES = {"api", "admin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern, e.g. "org/<slug:resource>/<id:pk>/"
    params: tuple[str, ...]


def _walk(resolvers, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            if not entry.name:
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(
                name=name,
                route=prefix + str(entry.pattern),
                params=tuple(entry.pattern.regex.groupindex),
            )


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str


def all_operations(schema: dict) -> list[Operation]:
    return [
        Operation(method=method.upper(), path=path, operation_id=op["operationId"])
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
