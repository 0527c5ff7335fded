"""Organisation endpoints: list, read, create, update for every resource, generated once.

The API is thin: payload → the same form and service the UI uses → output schema.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.models import model_to_dict
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.orm import create_schema
from ninja.pagination import paginate
from pydantic import Field, create_model

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
    if request.content_type != "application/json":
        raise HttpError(415, _("Send the body as JSON (Content-Type: application/json)."))
    actor = request.actor
    form = resource.form(
        data=_form_data(resource, payload, instance if instance.pk else None),
        instance=instance,
        actor=actor,
    )
    return services.record_save(actor=actor, resource=resource, form=form)


def _python_type(field: forms.Field) -> Any:
    if isinstance(field, forms.ModelChoiceField):
        return int
    if isinstance(field, forms.BooleanField):
        return bool
    if isinstance(field, forms.DateField):
        return date
    if isinstance(field, forms.DecimalField):
        return Decimal
    if isinstance(field, forms.IntegerField):
        return int
    return str


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
        choices = getattr(field, "choices", None)
        if kind is str and choices:
            constraints["json_schema_extra"] = {"enum": [c for c, _label in choices if c]}
        required = field.required and not partial
        default = ... if required else None
        annotation = kind if required else kind | None
        definitions[field_name] = (annotation, Field(default, **constraints))
    return create_model(name, __base__=Schema, **definitions)


def _register(resource: Resource) -> None:
    fields = list(resource.form._meta.fields or [])
    model_name = resource.model.__name__
    out_schema = create_schema(resource.model, name=f"{model_name}Out", fields=["id", *fields])
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
