"""The data-protection officer's pages: the access log (and, later, retention and requests)."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bryggan.core import access_log as access_log_records
from bryggan.core.decorators import actor_required
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.privacy import selectors
from bryggan.privacy.forms import AccessLogFilterForm


def _filtered(request: ActorRequest):
    request.actor.require(Perm.ACCESS_LOG_VIEW)
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, selectors.access_log(actor=request.actor, **filters)


@require_GET
@actor_required
def access_log(request: ActorRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    names = selectors.people_named(rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/access_log.html",
        {
            "form": form,
            "page": page,
            "rows": [(e, names.get(e.person_id)) for e in rows],
            "query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@actor_required
def access_log_export(request: ActorRequest) -> HttpResponse:
    form, entries = _filtered(request)
    if form.errors:
        return HttpResponse(_("Correct the filter first."), status=400, content_type="text/plain")
    entries = entries[:100_000]
    access_log_records.record(
        actor=request.actor,
        subject_type="export",
        subject_id="access_log",
        purpose="access log export",
        request=request,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="atkomstlogg-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with å, ä, ö correctly with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("When"), _("Read by"), _("Kind of data"), _("Record"), _("Person"), _("Why"), _("Page")]
    )
    rows = list(entries)
    names = selectors.people_named(rows)
    for entry in rows:
        writer.writerow(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.user.email if entry.user else "",
                entry.subject_type,
                entry.subject_id,
                names.get(entry.person_id, f"#{entry.person_id}" if entry.person_id else ""),
                entry.purpose,
                entry.path,
            ]
        )
    return response
