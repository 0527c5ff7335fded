"""Pages of the specialists: asking and answering, knowledge notes, legal and practice
updates with their acknowledgement, an Atom feed of the updates, and the roles HR keeps."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError, flash_outcome
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm, PermissionDeniedError
from bryggan.core.roles import Role
from bryggan.specialists import feeds, selectors, services
from bryggan.specialists.forms import (
    AnswerForm,
    AskForm,
    EndForm,
    HolderForm,
    NoteForm,
    RoleForm,
    TopicForm,
    UpdateForm,
)


def _bound(form, action) -> bool:
    """Validate, then run the service; its refusals are shown on the form. True when done."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except InvalidInputError as error:
        error.add_to(form)
        return False
    return True


@require_http_methods(["GET", "POST"])
@actor_required
def index(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.CONSULT)
    today = timezone.localdate()
    staff = selectors.own_staff(actor=actor)
    ask = AskForm(
        request.POST or None, actor=actor, initial={"unit": staff.unit_id if staff else None}
    )
    if request.method == "POST" and request.POST.get("action") == "digest":
        daily = request.POST.get("daily") == "yes"
        services.digest_set(actor=actor, daily=daily)
        messages.success(
            request,
            _("You get one e-mail a day of new questions.")
            if daily
            else _("You get an e-mail for each new question."),
        )
        return redirect("specialists:index")
    if request.method == "POST" and _bound(
        ask,
        lambda data: services.consultation_ask(actor=actor, today=today, **data),
    ):
        messages.success(request, _("Your question is sent to the specialists."))
        return redirect("specialists:index")
    return render(
        request,
        "specialists/index.html",
        {
            "form": ask,
            "mine": selectors.my_consultations(actor=actor),
            "queue": selectors.queue_for(actor=actor, today=today),
            "digest": selectors.wants_digest(actor=actor),
            "yours": selectors.my_specialists(actor=actor, today=today),
            "roles": selectors.roles_for(actor=actor, today=today),
            "may_manage": actor.has(Perm.SPECIALISTS_MANAGE),
            # Queues and response times: for the specialists and those who manage them.
            "volumes": selectors.volumes(actor=actor)
            if actor.has(Perm.SPECIALISTS_MANAGE)
            or actor.has(Perm.UPDATES_PUBLISH)
            or Role.UNIT_MANAGER in actor.roles
            else None,
        },
        status=400 if ask.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@actor_required
def consultation(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    today = timezone.localdate()
    found = selectors.consultation_by_id(actor=actor, pk=pk, today=today)
    answer = AnswerForm(request.POST or None, actor=actor)
    note = NoteForm(
        request.POST or None,
        actor=actor,
        initial={
            "topic": found.topic_id,
            "title": found.question[:80],
            "body": f"{found.question}\n\n{found.answer}",
        },
    )
    serving = selectors.serves(actor=actor, consultation=found, today=today)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "take":
            flash_outcome(
                request,
                lambda: services.consultation_take(actor=actor, consultation=found),
                _("The question is yours to answer."),
            )
        elif action == "answer":
            if not serving:
                raise PermissionDeniedError(Perm.CONSULT)
            if not _bound(
                answer,
                lambda data: services.consultation_answer(
                    actor=actor, consultation=found, answer=data["answer"]
                ),
            ):
                return _consultation_page(request, found, answer, NoteForm(actor=actor), serving)
            messages.success(request, _("The answer is sent."))
        elif action == "helped":
            flash_outcome(
                request,
                lambda: services.consultation_helped(
                    actor=actor, consultation=found, helped=request.POST.get("helped") == "yes"
                ),
                _("Thank you: the specialists see it."),
            )
        elif action == "note":
            if not _bound(
                note,
                lambda data: services.note_save(actor=actor, consultation=found, **data),
            ):
                return _consultation_page(request, found, AnswerForm(actor=actor), note, serving)
            messages.success(request, _("The knowledge note is saved."))
        else:
            raise Http404
        return redirect("specialists:consultation", pk=found.pk)
    return _consultation_page(
        request, found, answer, NoteForm(actor=actor, initial=note.initial), serving
    )


def _consultation_page(request, found, answer, note, serving) -> HttpResponse:
    invalid = (answer.is_bound and answer.errors) or (note.is_bound and note.errors)
    return render(
        request,
        "specialists/consultation.html",
        {
            "consultation": found,
            "answer_form": answer,
            "note_form": note,
            "serving": serving,
            "is_asker": found.asker_id == request.actor.user.pk,
        },
        status=400 if invalid else 200,
    )


@require_http_methods(["GET", "POST"])
@actor_required
def notes(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = NoteForm(request.POST or None, actor=actor)
    if request.method == "POST" and _bound(
        form, lambda data: services.note_save(actor=actor, **data)
    ):
        messages.success(request, _("The knowledge note is saved."))
        return redirect("specialists:notes")
    search = request.GET.get("q", "")
    return render(
        request,
        "specialists/notes.html",
        {
            "notes": list(selectors.notes_for(actor=actor, search=search)[:200]),
            "search": search[:100],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@actor_required
def note(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    found = selectors.note_by_id(actor=actor, pk=pk)
    form = NoteForm(
        request.POST or None,
        actor=actor,
        initial={"topic": found.topic_id, "title": found.title, "body": found.body},
    )
    if request.method == "POST" and _bound(
        form, lambda data: services.note_save(actor=actor, note=found, **data)
    ):
        messages.success(request, _("A new version is saved; the earlier ones are kept."))
        return redirect("specialists:note", pk=found.pk)
    return render(
        request,
        "specialists/note.html",
        {"note": found, "versions": list(found.versions.all()), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@actor_required
def updates(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    today = timezone.localdate()
    form = UpdateForm(request.POST or None, actor=actor)
    if request.method == "POST" and _bound(
        form,
        lambda data: services.update_publish(
            actor=actor,
            today=today,
            title=data["title"],
            summary=data["summary"],
            links=data["links"],
            read_by=data["read_by"],
            units=list(data["units"]),
            roles=list(data["roles"]),
            everyone=data["everyone"],
        ),
    ):
        messages.success(request, _("The update is published to those it concerns."))
        return redirect("specialists:updates")
    search = request.GET.get("q", "")
    found = selectors.updates_for(actor=actor, search=search)
    token = feeds.token_for(actor.municipality_id or 0)
    return render(
        request,
        "specialists/updates.html",
        {
            "updates": found,
            "search": search[:100],
            "form": form if actor.has(Perm.UPDATES_PUBLISH) else None,
            "feed_url": request.build_absolute_uri(reverse("specialists:feed", args=[token])),
            "today": today,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@actor_required
def update(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    found = selectors.update_by_id(actor=actor, pk=pk)
    if request.method == "POST":
        flash_outcome(
            request,
            lambda: services.update_acknowledge(actor=actor, update=found),
            _("Thank you: you have confirmed that you have read it."),
        )
        return redirect("specialists:update", pk=found.pk)
    return render(
        request,
        "specialists/update.html",
        {
            "update": found,
            "concerned": selectors.concerned(found, actor),
            "acknowledged": selectors.acknowledged(actor=actor, update=found),
            "missing": selectors.not_acknowledged(actor=actor, update=found),
        },
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    payload = feeds.read_token(token)
    reader = selectors.feed_reader(payload) if payload is not None else None
    if reader is None:
        raise Http404
    atom = Atom1Feed(
        title=_("Legal and practice updates") + f" – {reader.municipality}",
        link=request.build_absolute_uri(reverse("specialists:updates")),
        description="",
        language="sv",
    )
    for item in selectors.feed_updates(actor=reader):
        atom.add_item(
            title=item.title,
            link=request.build_absolute_uri(reverse("specialists:update", args=[item.pk])),
            description=item.summary,
            pubdate=item.published_at,
            unique_id=f"bryggan-update-{item.pk}",
        )
    return HttpResponse(
        atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )


@require_http_methods(["GET", "POST"])
@actor_required
def roles(request: ActorRequest) -> HttpResponse:
    """HR and the coordinator keep the specialist roles: areas, roles and who holds them."""
    actor = request.actor
    actor.require(Perm.SPECIALISTS_MANAGE)
    today = timezone.localdate()
    action = request.POST.get("action") if request.method == "POST" else None
    topic_form = TopicForm(request.POST if action == "topic" else None, actor=actor)
    role_form = RoleForm(request.POST if action == "role" else None, actor=actor)
    holder_form = HolderForm(request.POST if action == "holder" else None, actor=actor)
    done = False
    if action == "topic":
        done = _bound(topic_form, lambda data: services.topic_add(actor=actor, **data))
    elif action == "role":
        done = _bound(
            role_form,
            lambda data: services.role_save(
                actor=actor,
                title=data["title"],
                topics=list(data["topics"]),
                serves=data["serves"],
                department=data["department"],
                unit=data["unit"],
                description=data["description"],
            ),
        )
    elif action == "holder":
        done = _bound(holder_form, lambda data: services.holder_add(actor=actor, **data))
    elif action == "end":
        holder = selectors.holder_by_id(actor=actor, pk=request.POST.get("holder"))
        flash_outcome(
            request,
            lambda: services.holder_end(
                actor=actor,
                holder=holder,
                until=InvalidInputError.data_of(EndForm(request.POST, actor=actor))["until"],
            ),
            _("Saved."),
        )
        return redirect("specialists:roles")
    elif action is not None:
        raise Http404
    if done:
        messages.success(request, _("Saved."))
        return redirect("specialists:roles")
    return _roles_page(request, topic_form, role_form, holder_form, today)


def _roles_page(request, topic_form, role_form, holder_form, today) -> HttpResponse:
    actor = request.actor
    invalid = any(f.errors for f in (topic_form, role_form, holder_form))
    return render(
        request,
        "specialists/roles.html",
        {
            "roles": selectors.roles_for(actor=actor, today=today),
            "topics": selectors.topics_for(actor=actor),
            "topic_form": topic_form,
            "role_form": role_form,
            "holder_form": holder_form,
            "today": today,
        },
        status=400 if invalid else 200,
    )
