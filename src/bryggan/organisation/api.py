"""Organisation endpoints: list, read, create, update for every resource, generated once.

The API is thin: payload → the same form and service the UI uses → output schema.
"""

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.models import model_to_dict
from django.utils import translation
from ninja import Query, Router, Schema, Status
from ninja.orm import create_schema
from ninja.pagination import paginate
from pydantic import Field, create_model

from bryggan.core.api_schema import Id, Input, IsoDate, one_of
from bryggan.core.http import ActorRequest
from bryggan.core.pagination import Pages
from bryggan.core.permissions import Actor, Perm
from bryggan.organisation import selectors, services
from bryggan.organisation.models import Term
from bryggan.organisation.resources import RESOURCES, Resource

router = Router(tags=["organisation"])

# Forms are built once at import to read their fields; no query runs for that.
ANONYMOUS_FORM_ACTOR = Actor(user=None, municipality=None)


def _form_data(resource: Resource, payload: dict[str, Any], instance=None) -> dict[str, Any]:
    fields = list(resource.form._meta.fields or [])
    data = model_to_dict(instance, fields=fields) if instance is not None else {}
    data.update(payload)
    # HTML-form semantics for booleans: absent means False, so send only true ones.
    return {k: v for k, v in data.items() if v is not None and v is not False}


def _save(request: ActorRequest, resource: Resource, payload: dict[str, Any], instance):
    actor = request.actor
    form = resource.form(
        data=_form_data(resource, payload, instance if instance.pk else None),
        instance=instance,
        actor=actor,
    )
    return services.record_save(actor=actor, resource=resource, form=form)


def _python_type(field: forms.Field) -> Any:
    if isinstance(field, forms.ModelChoiceField):
        return Id
    if isinstance(field, forms.BooleanField):
        return bool
    if isinstance(field, forms.DateField):
        return IsoDate
    if isinstance(field, forms.DecimalField):
        return float  # a number in JSON; the form keeps its decimal places
    if isinstance(field, forms.IntegerField):
        return int
    return str


def _bounds(field: forms.Field, model_validators: list) -> dict[str, Any]:
    """The limits the form and the model apply, so the schema says what will be accepted."""
    number = float if isinstance(field, forms.DecimalField) else int
    validators = [*field.validators, *model_validators]
    lows = [number(v.limit_value) for v in validators if isinstance(v, MinValueValidator)]
    highs = [number(v.limit_value) for v in validators if isinstance(v, MaxValueValidator)]
    bounds: dict[str, Any] = {}
    if lows:
        bounds["ge"] = max(lows)
    if highs:
        bounds["le"] = min(highs)
    if isinstance(field, forms.DecimalField) and field.max_digits is not None:
        limit = float(10 ** (field.max_digits - (field.decimal_places or 0)))
        bounds.setdefault("lt", limit)
        bounds.setdefault("gt", -limit)
    return bounds


def _model_validators(resource: Resource, field_name: str) -> list:
    try:
        return list(getattr(resource.model._meta.get_field(field_name), "validators", []))
    except FieldDoesNotExist:
        return []


def input_schema(resource: Resource, name: str, *, partial: bool) -> type[Schema]:
    """The request body for a resource, derived from its form: one definition of the input.

    Types and lengths are checked here (422 on a wrong type); the form then applies every
    business rule (400 with a message per field).
    """
    form = resource.form(actor=ANONYMOUS_FORM_ACTOR)
    definitions: dict[str, Any] = {}
    for field_name, field in form.fields.items():
        kind = _python_type(field)
        constraints: dict[str, Any] = {"description": str(field.label or field_name)}
        max_length = getattr(field, "max_length", None)
        if kind is str and max_length:
            constraints["max_length"] = max_length
        if kind is str and field.required:
            constraints["min_length"] = 1
        if kind in (int, float):
            constraints.update(_bounds(field, _model_validators(resource, field_name)))
        choices = getattr(field, "choices", None)
        if kind is str and choices:
            kind = one_of([str(c) for c, _label in choices if c])
            constraints.pop("max_length", None)
        required = field.required and not partial
        default = ... if required else None
        annotation = kind if required else kind | None
        definitions[field_name] = (annotation, Field(default, **constraints))
    return create_model(name, __base__=Input, **definitions)


def output_schema(resource: Resource, name: str) -> type[Schema]:
    """The record as the API returns it: the model's fields, decimals as JSON numbers."""
    fields = list(resource.form._meta.fields or [])
    decimals = [
        (f.name, float, f.default if f.has_default() else ...)
        for f in resource.model._meta.get_fields()
        if isinstance(f, models.DecimalField) and f.name in fields
    ]
    return create_schema(
        resource.model,
        name=name,
        fields=["id", *[f for f in fields if f not in {d[0] for d in decimals}]],
        custom_fields=[(n, t, float(d) if d is not ... else d) for n, t, d in decimals],
    )


def _register(resource: Resource) -> None:
    model_name = resource.model.__name__
    out_schema = output_schema(resource, f"{model_name}Out")
    in_schema = input_schema(resource, f"{model_name}In", partial=False)
    patch_schema = input_schema(resource, f"{model_name}Patch", partial=True)
    filter_schema = create_model(
        f"{model_name}Filters",
        __base__=Schema,
        q=(str, Field("", max_length=100, description="Free-text search")),
        **dict.fromkeys(resource.filters, (int | None, None)),
    )
    base = f"/{resource.api_path}"
    key = resource.key
    with translation.override("en"):
        singular = str(resource.model._meta.verbose_name)
        plural = str(resource.model._meta.verbose_name_plural)

    @router.get(
        base,
        response=list[out_schema],
        operation_id=f"list_{key}",
        summary=f"List {plural}",
    )
    @paginate(Pages)
    def list_records(request: ActorRequest, filters: Query[filter_schema]):  # type: ignore[valid-type]
        values = filters.dict()
        search = values.pop("q", "")
        return selectors.records_for(
            actor=request.actor,
            resource=resource,
            search=search,
            filters=values,
            purpose="api list",
        )

    @router.get(
        f"{base}/{{id:record_id}}",
        response=out_schema,
        operation_id=f"get_{key}",
        summary=f"Read one {singular}",
    )
    def get_record(request: ActorRequest, record_id: int):
        return selectors.record_by_id(
            actor=request.actor, resource=resource, pk=record_id, purpose="api detail"
        )

    @router.post(
        base,
        response={201: out_schema},
        operation_id=f"create_{key}",
        summary=f"Create a {singular}",
    )
    def create_record(request: ActorRequest, payload: in_schema):  # type: ignore[valid-type]
        instance = selectors.record_to_edit(actor=request.actor, resource=resource)
        return Status(201, _save(request, resource, payload.dict(), instance))

    @router.put(
        f"{base}/{{id:record_id}}",
        response=out_schema,
        operation_id=f"update_{key}",
        summary=f"Replace a {singular}",
    )
    def update_record(request: ActorRequest, record_id: int, payload: in_schema):  # type: ignore[valid-type]
        obj = selectors.record_to_edit(actor=request.actor, resource=resource, pk=record_id)
        return _save(request, resource, payload.dict(), obj)

    @router.patch(
        f"{base}/{{id:record_id}}",
        response=out_schema,
        operation_id=f"patch_{key}",
        summary=f"Change some fields of a {singular}",
    )
    def patch_record(request: ActorRequest, record_id: int, payload: patch_schema):  # type: ignore[valid-type]
        obj = selectors.record_to_edit(actor=request.actor, resource=resource, pk=record_id)
        return _save(request, resource, payload.dict(exclude_unset=True), obj)


# Built in English: the schema is the integrators' documentation (api/api.py).
with translation.override("en"):
    for _resource in RESOURCES.values():
        _register(_resource)


class SupervisorCapacityRow(Schema):
    capacity_id: int
    supervisor_id: int
    name: str
    trained: bool
    capacity: int
    used: int
    free: int


class UnitCapacity(Schema):
    unit_id: int
    name: str
    department: str
    capacity: int
    used: int
    free: int
    supervisors: list[SupervisorCapacityRow]


class CapacityOverviewOut(Schema):
    term_id: int | None
    term: str | None
    capacity: int
    used: int
    free: int
    units: list[UnitCapacity]


@router.get(
    "/capacity-overview",
    response=CapacityOverviewOut,
    operation_id="capacity_overview",
    summary="Each unit's supervisors, capacity and places used in a term",
)
def capacity_overview(request: ActorRequest, term: int | None = None):
    actor = request.actor
    actor.require(Perm.CAPACITY_VIEW)
    chosen: Term | None
    if term is not None:
        chosen = selectors.term_by_id(actor=actor, pk=term)
    else:
        from django.utils import timezone

        chosen = selectors.current_term(actor=actor, today=timezone.localdate())
    overview = selectors.capacity_overview(actor=actor, term=chosen)
    return {
        "term_id": chosen.pk if chosen else None,
        "term": str(chosen) if chosen else None,
        "capacity": overview.capacity,
        "used": overview.used,
        "free": overview.free,
        "units": [
            {
                "unit_id": u.unit_id,
                "name": u.name,
                "department": u.department,
                "capacity": u.capacity,
                "used": u.used,
                "free": u.free,
                "supervisors": [{**s.__dict__, "free": s.free} for s in u.supervisors],
            }
            for u in overview.units
        ],
    }
