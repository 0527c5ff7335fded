"""A placed student can sign in: placing them gives them an account with the student role and
e-mails a link to choose a password; the coordinator sees whether they have signed in and can
send the invitation again."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from bryggan.core.models import Membership, Person
from bryggan.core.roles import Role
from bryggan.programme.models import Participant

pytestmark = pytest.mark.django_db

URL = "/api/programme/placements"


def _place(world, email: str = "nora.ny@example.se"):
    home = world.home
    person = Person.objects.create(
        municipality=home.municipality, first_name="Nora", last_name="Ny", email=email
    )
    response = home.client(Role.COORDINATOR).post(
        URL,
        {
            "person_id": person.pk,
            "unit_id": home.objects["unit"].pk,
            "supervisor_id": home.objects["staff"].pk,
            "term_id": home.objects["term"].pk,
            "step": "practicum",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Participant.objects.get(person=person)


def test_placing_a_student_invites_them_and_they_can_sign_in(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        participant = _place(world)
    user = participant.user
    assert user is not None and user.email == "nora.ny@example.se"
    assert not user.has_usable_password()  # they choose it themselves
    assert Membership.objects.filter(
        user=user, municipality=world.home.municipality, role=Role.STUDENT
    ).exists()
    assert participant.invited_at is not None
    assert [m.to for m in mailoutbox] == [["nora.ny@example.se"]]
    body = mailoutbox[0].body
    assert "Välj ditt lösenord" in body and world.home.municipality.name in body

    # The link leads to choosing a password; then the student signs in to their own page.
    path = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", body).group(1)
    browser = Client()
    form = browser.get(path, follow=True)
    assert form.status_code == 200
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Vfu-2027-hemligt", "new_password2": "Vfu-2027-hemligt"},
    )
    assert done.status_code == 302
    signed_in = browser.post(
        "/login/", {"username": "nora.ny@example.se", "password": "Vfu-2027-hemligt"}
    )
    assert signed_in.status_code == 302
    home = browser.get("/").content.decode()
    assert "Ditt program" in home and "Din VFU" in home


def test_the_coordinator_sees_the_invitation_and_sends_it_again(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        participant = _place(world)
    coordinator = world.home.client(Role.COORDINATOR)
    page = coordinator.get(f"/programmet/deltagare/{participant.pk}/").content.decode()
    assert "inbjuden" in page and "Skicka inbjudan igen" in page
    with django_capture_on_commit_callbacks(execute=True):
        again = coordinator.post(f"/programmet/deltagare/{participant.pk}/inbjudan/", follow=True)
    assert "Inbjudan skickades till nora.ny@example.se" in again.content.decode()
    assert len(mailoutbox) == 2

    # Once the student has signed in, they use "forgot your password" instead.
    participant.user.set_password("x-Y-z-2027-!")
    participant.user.save()
    Client().post("/login/", {"username": "nora.ny@example.se", "password": "x-Y-z-2027-!"})
    refused = coordinator.post(f"/programmet/deltagare/{participant.pk}/inbjudan/", follow=True)
    assert "har redan loggat in" in refused.content.decode()
    assert len(mailoutbox) == 2


def test_a_student_without_an_e_mail_address_is_not_invited(world, mailoutbox):
    participant = _place(world, email="")
    assert participant.user is None and not mailoutbox
    coordinator = world.home.client(Role.COORDINATOR)
    response = coordinator.post(f"/programmet/deltagare/{participant.pk}/inbjudan/", follow=True)
    assert "ingen e-postadress" in response.content.decode()
    assert not mailoutbox


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.STUDENT, Role.UNIT_MANAGER])
def test_only_the_coordinator_sends_invitations(world, role, mailoutbox):
    participant = _place(world, email="")
    response = world.home.client(role).post(f"/programmet/deltagare/{participant.pk}/inbjudan/")
    assert response.status_code in (403, 404)
    assert not mailoutbox
