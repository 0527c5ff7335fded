"""Pages of joint rounds: the coordinator's list and one round (join, leave, match, approve,
publish), the regional careers page with the one application, and the student's result."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from bryggan.core import throttle
from bryggan.core.client_address import client_address
from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import require_tenant
from bryggan.core.views import too_many
from bryggan.regional import links, selectors, services
from bryggan.regional.forms import JoinForm, JointRoundForm, RegionalApplicationForm
from bryggan.regional.models import JointStatus


@require_http_methods(["GET", "POST"])
@actor_required
def rounds(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    found = list(selectors.rounds_for(actor=actor))
    form = JointRoundForm(request.POST or None, own=require_tenant(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.round_create(
                actor=actor,
                name=data["name"],
                kind=data["kind"],
                term_kind=data["term_kind"],
                term_year=data["term_year"],
                rank_deadline=data["rank_deadline"],
                publication_on=data["publication_on"],
                partners=data["partners"],
            )
        except InvalidInputError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _(
                    "The joint round is created and the municipalities invited. Join it with "
                    "your posting."
                ),
            )
            return redirect("regional:round", pk=created.pk)
    return render(
        request,
        "regional/rounds.html",
        {"rounds": found, "form": form},
        status=400 if form.errors else 200,
    )


ACTIONS = ("join", "leave", "match", "approve", "publish")


@require_http_methods(["GET", "POST"])
@actor_required
def round_detail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    joint_round = selectors.round_by_id(actor=actor, pk=pk)
    view = selectors.round_view(
        actor=actor, joint_round=joint_round, with_result=request.method == "GET"
    )
    join = JoinForm(
        request.POST if request.POST.get("action") == "join" else None, postings=view.postings
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        today = timezone.localdate()
        try:
            if action == "join":
                if not join.is_valid():
                    raise InvalidInputError({"posting": [_("Choose one of your postings.")]})
                services.round_join(
                    actor=actor,
                    joint_round=joint_round,
                    posting=join.cleaned_data["posting"],
                    today=today,
                )
                messages.success(request, _("Your municipality takes part with this posting."))
            elif action == "leave":
                services.round_leave(actor=actor, joint_round=joint_round, today=today)
                messages.success(request, _("Your municipality has left the joint round."))
            elif action == "match":
                services.match(actor=actor, joint_round=joint_round, today=today)
                messages.success(
                    request,
                    _("The joint matching is done. Review your part and approve it."),
                )
            elif action == "approve":
                services.approve(actor=actor, joint_round=joint_round)
                messages.success(request, _("Your part is approved for the publication day."))
            elif action == "publish":
                placed = services.publish(actor=actor, joint_round=joint_round, today=today)
                messages.success(
                    request,
                    _("Published in every municipality: %(n)s placements.") % {"n": placed},
                )
            else:
                raise InvalidInputError({"__all__": [_("Choose what to do.")]})
        except InvalidInputError as error:
            error.flash(request)
            return render(
                request,
                "regional/round.html",
                _context(request, joint_round, join),
                status=400,
            )
        return redirect("regional:round", pk=joint_round.pk)
    return render(request, "regional/round.html", _context(request, joint_round, join, view))


def _context(
    request: ActorRequest, joint_round, join: JoinForm, view: selectors.RoundView | None = None
) -> dict:
    if view is None:  # after a refused action: as it stands now
        joint_round.refresh_from_db()
        view = selectors.round_view(actor=request.actor, joint_round=joint_round)
    today = timezone.localdate()
    return {
        "view": view,
        "round": joint_round,
        "join": join,
        "today": today,
        "can_match": today > joint_round.rank_deadline
        and joint_round.status != JointStatus.PUBLISHED
        and view.member.active,
        "can_publish": today >= joint_round.publication_on
        and joint_round.status == JointStatus.MATCHED
        and view.all_approved,
        "public_url": settings.SITE_URL + f"/region/{joint_round.slug}/",
    }


# ------------------------------------------------------------------ the public side


@require_GET
def public_round(request: HttpRequest, slug: str) -> HttpResponse:
    joint_round = selectors.public_round(slug)
    return render(
        request,
        "regional/public_round.html",
        {
            "round": joint_round,
            "offered": selectors.regional_postings(joint_round),
            "open": joint_round.status == JointStatus.OPEN
            and timezone.localdate() <= joint_round.rank_deadline,
        },
    )


def _limits(request: HttpRequest, joint_round) -> list:
    address = client_address(request)
    uploaded = sum(u.size or 0 for name in request.FILES for u in request.FILES.getlist(name))
    return [
        (throttle.APPLY_PER_ADDRESS, address, 1),
        (throttle.APPLY_PER_ADDRESS_AND_POSTING, f"{address}|joint{joint_round.pk}", 1),
        (throttle.UPLOAD_BYTES_PER_ADDRESS, address, uploaded),
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def public_apply(request: HttpRequest, slug: str) -> HttpResponse:
    joint_round = selectors.public_round(slug)
    offered = selectors.apply_form(joint_round)
    if joint_round.status != JointStatus.OPEN or timezone.localdate() > joint_round.rank_deadline:
        return render(request, "regional/closed.html", {"round": joint_round}, status=410)
    if request.method == "POST":
        try:
            throttle.check_all(_limits(request, joint_round))
        except throttle.Throttled as refused:
            return too_many(request, refused)
    form = RegionalApplicationForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        units=offered.units,
        universities=offered.universities,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply(
                joint_round=joint_round,
                data=form.cleaned_data,
                consent_version=settings.CONSENT_VERSION,
            )
        except InvalidInputError as error:
            error.add_to(form)
        else:
            throttle.record_all(_limits(request, joint_round))
            return redirect(links.link_path(application) + "?new=1")
    return render(
        request,
        "regional/apply.html",
        {
            "round": joint_round,
            "form": form,
            "members": [m.municipality.name for m in offered.members],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pk, nonce = links.read_token(token)
    except links.LinkError:
        return render(request, "regional/bad_link.html", status=404)
    application = selectors.joint_application_by_token(pk, nonce)
    return render(
        request,
        "regional/result.html",
        {
            "shown": selectors.applicant_result(application),
            "round": application.joint_round,
            "new": request.GET.get("new") == "1",
        },
    )
