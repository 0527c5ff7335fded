"""Organisation pages: one generic set of list/detail/create/edit views over RESOURCES."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.organisation import selectors, services
from bryggan.organisation.presentation import cell, detail_rows
from bryggan.organisation.resources import RESOURCE_TITLES, RESOURCES, Resource


def _resource(key: str) -> Resource:
    try:
        return RESOURCES[key]
    except KeyError:
        raise Http404 from None


def _title(resource: Resource) -> str:
    return str(RESOURCE_TITLES.get(resource.key, resource.verbose_name_plural)).capitalize()


@require_GET
@actor_required
def record_list(request: ActorRequest, resource: str) -> HttpResponse:
    res = _resource(resource)
    actor = request.actor
    search = request.GET.get("q", "")
    filters = {name: request.GET.get(name) for name in res.filters}
    filters = {k: v for k, v in filters.items() if v and v.isdigit()}
    queryset = selectors.records_for(
        actor=actor, resource=res, search=search, filters=filters, purpose="list"
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [(obj, [cell(obj, c) for c in res.columns]) for obj in page.object_list]
    context = {
        "resource": res,
        "title": _title(res),
        "headers": [res.label(c) for c in res.columns],
        "rows": rows,
        "page": page,
        "search": search,
        "may_manage": actor.can(res.manage_perm),
    }
    template = "organisation/list.html#table" if request.htmx else "organisation/list.html"
    return render(request, template, context)


@require_GET
@actor_required
def record_detail(request: ActorRequest, resource: str, pk: int) -> HttpResponse:
    res = _resource(resource)
    actor = request.actor
    obj = selectors.record_by_id(actor=actor, resource=res, pk=pk, purpose="detail")
    return render(
        request,
        "organisation/detail.html",
        {
            "resource": res,
            "title": _title(res),
            "object": obj,
            "rows": detail_rows(obj, res),
            "may_manage": actor.can(res.manage_perm, obj),
        },
    )


def _save(request: ActorRequest, res: Resource, instance) -> HttpResponse:
    actor = request.actor
    data = request.POST if request.method == "POST" else None
    form = res.form(data, instance=instance, actor=actor)
    if request.method == "POST":
        try:
            obj = services.record_save(actor=actor, resource=res, form=form)
        except InvalidInputError as error:
            for name, msgs in error.errors.items():
                for msg in msgs:
                    if msg not in form.errors.get(name, []):
                        form.add_error(None if name not in form.fields else name, msg)
        else:
            messages.success(request, _("Saved: %(object)s") % {"object": obj})
            return redirect("organisation:detail", resource=res.key, pk=obj.pk)
    return render(
        request,
        "organisation/form.html",
        {"resource": res, "title": _title(res), "form": form, "object": instance},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@actor_required
def record_create(request: ActorRequest, resource: str) -> HttpResponse:
    res = _resource(resource)
    return _save(request, res, selectors.record_to_edit(actor=request.actor, resource=res))


@require_http_methods(["GET", "POST"])
@actor_required
def record_edit(request: ActorRequest, resource: str, pk: int) -> HttpResponse:
    res = _resource(resource)
    purpose = "edit form" if request.method == "GET" else None
    obj = selectors.record_to_edit(actor=request.actor, resource=res, pk=pk, purpose=purpose)
    return _save(request, res, obj)


@require_GET
@actor_required
def capacity_overview(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.CAPACITY_VIEW)
    terms = selectors.terms_for(actor=actor)
    term_id = request.GET.get("term", "")
    term = next((t for t in terms if str(t.pk) == term_id), None)
    if term is None:
        term = selectors.current_term(actor=actor, today=timezone.localdate())
    overview = selectors.capacity_overview(actor=actor, term=term)
    context = {
        "overview": overview,
        "terms": terms,
        "may_manage": actor.can(Perm.STAFF_MANAGE),
    }
    template = (
        "organisation/capacity.html#overview" if request.htmx else "organisation/capacity.html"
    )
    return render(request, template, context)
