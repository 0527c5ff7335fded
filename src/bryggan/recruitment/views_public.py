"""The municipality's public face: careers page, postings, the application and the
applicant's private page. No account needed; every page runs in the scope of the
municipality named in its URL (or, for the private page, of the application in the link)."""

from __future__ import annotations

import json
from functools import wraps

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope

from bryggan.core import throttle
from bryggan.core.client_address import client_address
from bryggan.core.errors import InvalidInputError
from bryggan.core.models import Municipality
from bryggan.core.views import too_many
from bryggan.recruitment import interviews, links, notices, selectors, services
from bryggan.recruitment.forms import (
    ApplicationForm,
    DocumentReplaceForm,
    RegistrationForm,
    ResendLinkForm,
)
from bryggan.recruitment.models import Application, Posting, PostingKind, Stage


def _upload_bytes(request: HttpRequest) -> int:
    return sum(upload.size or 0 for name in request.FILES for upload in request.FILES.getlist(name))


def _application_limits(request: HttpRequest, posting: Posting) -> list:
    address = client_address(request)
    return [
        (throttle.APPLY_PER_ADDRESS, address, 1),
        (throttle.APPLY_PER_ADDRESS_AND_POSTING, f"{address}|{posting.pk}", 1),
        (throttle.APPLY_PER_POSTING, posting.pk, 1),
        (throttle.UPLOAD_BYTES_PER_ADDRESS, address, _upload_bytes(request)),
    ]


def _throttled(request: HttpRequest, limits: list, *, back: str = "") -> HttpResponse | None:
    """429 before anything is read or stored, when one of the limits is used up."""
    try:
        throttle.check_all(limits)
    except throttle.Throttled as refused:
        return too_many(request, refused, back=back)
    return None


def in_municipality(view):
    """Resolve the municipality from the URL's slug and run the view inside its scope."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs):
        municipality = selectors.municipality_by_slug(slug)
        with scope(municipality=municipality.pk):
            return view(request, municipality, *args, **kwargs)

    return wrapper


def job_posting_ld(posting: Posting, request: HttpRequest) -> str:
    """schema.org JobPosting for search engines and job boards."""
    employment_type = PostingKind(posting.kind).employment_type
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description,
        "datePosted": (posting.published_at or timezone.now()).date().isoformat(),
        "validThrough": f"{posting.last_application_date.isoformat()}T23:59:59+01:00",
        "employmentType": employment_type,
        "hiringOrganization": {
            "@type": "Organization",
            "name": f"{posting.municipality.name} kommun",
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": posting.municipality.name,
                "addressCountry": "SE",
            },
        },
        "directApply": True,
        "url": request.build_absolute_uri(),
    }
    # The "<" escape keeps a title like "</script>" from closing the script element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


@require_GET
@in_municipality
def careers(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    postings = list(selectors.open_postings(municipality))
    return render(
        request,
        "recruitment/public/careers.html",
        {
            "municipality": municipality,
            "postings": postings,
            "events": list(selectors.upcoming_events(municipality)),
        },
    )


@require_GET
@in_municipality
def posting_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    posting = selectors.public_posting(municipality, pk)
    return render(
        request,
        "recruitment/public/posting.html",
        {
            "municipality": municipality,
            "posting": posting,
            "json_ld": job_posting_ld(posting, request),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@in_municipality
def apply(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    posting = selectors.public_posting(municipality, pk)
    if not posting.is_open_for_applications():
        return render(
            request,
            "recruitment/public/closed.html",
            {"municipality": municipality, "posting": posting},
            status=410,
        )
    data = request.POST if request.method == "POST" else None
    if request.method == "POST":
        refused = _throttled(request, _application_limits(request, posting))
        if refused is not None:
            return refused
    form = ApplicationForm(data, request.FILES or None, posting=posting)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                posting=posting,
                data=form.cleaned_data,
                consent_version=settings.CONSENT_VERSION,
            )
        except InvalidInputError as error:
            for field, messages in error.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            throttle.record_all(_application_limits(request, posting))
            return redirect(links.link_path(application) + "?new=1")
    return render(
        request,
        "recruitment/public/apply.html",
        {
            "municipality": municipality,
            "posting": posting,
            "form": form,
            "retention_months": notices.retention_months(posting),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@in_municipality
def event(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    found = selectors.public_event(municipality, pk)
    limits = [(throttle.EVENT_SIGNUP_PER_ADDRESS, client_address(request), 1)]
    if request.method == "POST":
        refused = _throttled(request, limits)
        if refused is not None:
            return refused
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_register(
                event=found, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
            )
        except InvalidInputError as error:
            for field, messages in error.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            throttle.record_all(limits)
            return render(
                request,
                "recruitment/public/event.html",
                {"municipality": municipality, "event": found, "registered": True},
            )
    return render(
        request,
        "recruitment/public/event.html",
        {"municipality": municipality, "event": found, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _application_from_link(token: str) -> Application:
    try:
        pk, nonce = links.read_token(token)
    except links.LinkError as error:
        raise LinkProblem(str(error)) from None
    application = selectors.application_from_link(pk=pk, nonce=nonce)
    if application is None:
        raise LinkProblem("revoked")
    return application


class LinkProblem(Exception):
    pass


def link_view(view):
    """An applicant's page reached by their private link (no account): the link names the
    application, and the view runs in its municipality's scope."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args, **kwargs):
        try:
            application = _application_from_link(token)
        except LinkProblem as problem:
            return render(
                request,
                "recruitment/public/bad_link.html",
                {"expired": str(problem) == "expired"},
                status=404,
            )
        with scope(municipality=application.municipality_id):
            return view(request, application, token, *args, **kwargs)

    return wrapper


@never_cache
@require_GET
@link_view
def status(request: HttpRequest, application: Application, token: str) -> HttpResponse:
    return _status_page(request, application, token)


def _status_page(
    request, application, token, *, document_form=None, booking_error="", status_code=200
) -> HttpResponse:
    wishes = application.wishes.select_related("unit").order_by("rank")
    docs = selectors.current_documents(application)
    interview = interviews.current_interview(application)
    slots = list(interviews.free_slots(application)) if application.stage == Stage.INTERVIEW else []
    can_edit = (
        application.is_open and timezone.localdate() <= application.posting.last_application_date
    )
    return render(
        request,
        "recruitment/public/status.html",
        {
            "application": application,
            "token": token,
            "wishes": wishes,
            "documents": docs,
            "interview": interview,
            "slots": slots,
            "can_edit": can_edit,
            "document_form": document_form or DocumentReplaceForm(),
            "booking_error": booking_error,
            "new": request.GET.get("new") == "1",
            "municipality": application.municipality,
        },
        status=status_code,
    )


def _applicant_limits(request: HttpRequest, application: Application) -> list:
    return [
        (throttle.APPLICANT_CHANGES_PER_APPLICATION, application.pk, 1),
        (throttle.UPLOAD_BYTES_PER_ADDRESS, client_address(request), _upload_bytes(request)),
    ]


def applicant_throttled(view):
    """The applicant's own changes (booking, documents): throttled per application and the
    uploads per address; counted when they were made."""

    @wraps(view)
    def wrapper(request: HttpRequest, application: Application, token: str, *args, **kwargs):
        limits = _applicant_limits(request, application)
        back = reverse("recruitment-public:status", kwargs={"token": token})
        refused = _throttled(request, limits, back=back)
        if refused is not None:
            return refused
        response = view(request, application, token, *args, **kwargs)
        if response.status_code < 400:
            throttle.record_all(limits)
        return response

    return wrapper


@require_POST
@link_view
@applicant_throttled
def book(request: HttpRequest, application: Application, token: str) -> HttpResponse:
    try:
        interviews.interview_book(application=application, slot_id=request.POST.get("slot", ""))
    except InvalidInputError as error:
        return _status_page(
            request,
            application,
            token,
            booking_error=" ".join(error.errors.get("slot", [])),
            status_code=400,
        )
    return redirect(reverse("recruitment-public:status", kwargs={"token": token}) + "#interview")


@require_GET
@link_view
def invite_ics(request: HttpRequest, application: Application, token: str) -> HttpResponse:
    interview = interviews.current_interview(application)
    if interview is None:
        raise Http404
    from bryggan.recruitment.calendar import invite

    response = HttpResponse(invite(interview), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="intervju.ics"'
    return response


@require_POST
@link_view
@applicant_throttled
def cancel_interview(request: HttpRequest, application: Application, token: str):
    interview = interviews.current_interview(application)
    if interview is not None:
        interviews.interview_cancel(interview=interview)
    return redirect(reverse("recruitment-public:status", kwargs={"token": token}) + "#interview")


@require_POST
@link_view
@applicant_throttled
def replace_document(request: HttpRequest, application: Application, token: str):
    form = DocumentReplaceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_replace(
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except InvalidInputError as error:
            for message in error.errors.get("file", []):
                form.add_error("file", message)
        else:
            return redirect(reverse("recruitment-public:status", kwargs={"token": token}))
    return _status_page(request, application, token, document_form=form, status_code=400)


@require_POST
@link_view
def withdraw(request: HttpRequest, application: Application, token: str) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        return _status_page(request, application, token, status_code=400)
    services.application_withdraw(application=application)
    return redirect(reverse("recruitment-public:status", kwargs={"token": token}))


@require_POST
@link_view
def leave_talent_pool(request: HttpRequest, application: Application, token: str):
    services.talent_pool_leave(application=application)
    return redirect(reverse("recruitment-public:status", kwargs={"token": token}))


@never_cache
@require_http_methods(["GET", "POST"])
@in_municipality
def resend_link(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """ "Send my link again": by e-mail address, answering the same whether or not we have an
    application from it, so the page tells no one who has applied."""
    form = ResendLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        address = client_address(request)
        limits = [(throttle.LINK_RESEND_PER_ADDRESS, address, 1)]
        email = request.POST.get("email", "").strip().lower()[:254]
        if email:
            limits.append((throttle.LINK_RESEND_PER_EMAIL, email, 1))
        refused = _throttled(request, limits)
        if refused is not None:
            return refused
        if form.is_valid():
            services.application_links_resend(
                municipality_id=municipality.pk, email=form.cleaned_data["email"]
            )
            throttle.record_all(limits)
            return render(
                request,
                "recruitment/public/resend_link.html",
                {"municipality": municipality, "sent": True},
            )
    return render(
        request,
        "recruitment/public/resend_link.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


class OpenPostingsFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, slug):
        municipality = selectors.municipality_by_slug(slug)
        with scope(municipality=municipality.pk):
            return super().__call__(request, slug=slug)

    def get_object(self, request, slug):
        return selectors.municipality_by_slug(slug)

    def title(self, obj):
        return _("Open postings in %(municipality)s") % {"municipality": obj.name}

    def link(self, obj):
        return reverse("recruitment-public:careers", kwargs={"slug": obj.slug})

    def subtitle(self, obj):
        return _("Aspirant posts, practicum places, student employment and jobs in social work.")

    def items(self, obj):
        return list(selectors.open_postings(obj))

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return reverse(
            "recruitment-public:posting", kwargs={"slug": item.municipality.slug, "pk": item.pk}
        )

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
