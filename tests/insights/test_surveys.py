"""Evaluation surveys: the coordinator writes and sends one, each person answers through a
link of their own that works once and is never kept with the answers, and results show
only from five answers — on the page and in the API."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from bryggan.core.roles import Role
from bryggan.insights.models import Answer, Invitation, Response, Survey
from tests import factories as f

pytestmark = pytest.mark.django_db


def _staff_with_email(world, n: int) -> None:
    for k in range(n):
        f.StaffMemberFactory(unit=world.home.objects["unit"], email=f"kollega{k}@example.org")


def _create(client, **changes):
    data = {
        "title": "Vad ger studenterna?",
        "audience": "staff",
        "closes_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "introduction": "Fem minuter.",
        "question_1": "Studenterna tillför ny kunskap",
        "kind_1": "likert",
        "question_2": "Vad kan bli bättre?",
        "kind_2": "text",
        **changes,
    }
    for n in range(3, 7):
        data.setdefault(f"question_{n}", "")
        data.setdefault(f"kind_{n}", "likert")
    return client.post("/insikter/enkater/", data)


def test_a_survey_goes_out_one_link_each_and_shows_results_from_five(world):
    _staff_with_email(world, 6)
    client = world.home.client(Role.COORDINATOR)
    response = _create(client)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Skicka enkäten" in page.content.decode()
    mail.outbox.clear()
    sent = client.post(response["Location"], follow=True)
    assert "Skickad till" in sent.content.decode()
    links = [re.search(r"/enkat/([^/\s]+)/", m.body).group(1) for m in mail.outbox]
    assert len(links) == len(set(links)) >= 6
    with scopes_disabled():
        assert Invitation.objects.count() == len(links)
        # Nothing kept says whom a link went to.
        assert {f.name for f in Invitation._meta.get_fields()} == {
            "id",
            "municipality",
            "survey",
            "token_hash",
            "used",
        }
        survey = Survey.objects.get()
        likert, text = survey.questions.order_by("position")
    for n, token in enumerate(links[:4]):
        form = client.get(f"/enkat/{token}/")
        assert form.status_code == 200 and "Studenterna tillför ny kunskap" in form.content.decode()
        done = client.post(
            f"/enkat/{token}/", {f"q{likert.pk}": str(n % 5 + 1), f"q{text.pk}": f"Svar {n}"}
        )
        assert "Tack för dina svar" in done.content.decode()
    # Four answers: nothing shows, neither on the page nor through the API.
    page = client.get(response["Location"])
    assert "Resultaten visas när minst 5 har svarat" in page.content.decode()
    assert "Svar 1" not in page.content.decode()
    api = client.get(f"/api/insights/surveys/{survey.pk}/results")
    assert api.status_code == 409 and "Färre än fem" in api.json()["detail"]
    client.post(f"/enkat/{links[4]}/", {f"q{likert.pk}": "5", f"q{text.pk}": "Svar 4"})
    page = client.get(response["Location"]).content.decode()
    assert "Svar 4" in page and "5 svar, medelvärde 3,0 av 5." in page
    results = client.get(f"/api/insights/surveys/{survey.pk}/results").json()
    assert results[0]["spread"] == [1, 1, 1, 1, 1] and results[0]["answered"] == 5
    assert results[1]["texts"] == sorted(f"Svar {n}" for n in range(5))


def test_a_link_answers_once(world):
    _staff_with_email(world, 5)
    client = world.home.client(Role.COORDINATOR)
    location = _create(client)["Location"]
    mail.outbox.clear()
    client.post(location)
    token = re.search(r"/enkat/([^/\s]+)/", mail.outbox[0].body).group(1)
    with scopes_disabled():
        likert = Survey.objects.get().questions.order_by("position").first()
    assert client.post(f"/enkat/{token}/", {f"q{likert.pk}": "4"}).status_code == 200
    again = client.post(f"/enkat/{token}/", {f"q{likert.pk}": "1"})
    assert again.status_code in (404, 409)
    assert "redan använts" in again.content.decode()
    with scopes_disabled():
        assert Response.objects.count() == 1 and Answer.objects.get().score == 4


@pytest.mark.parametrize(
    ("answers", "message"),
    [({"LIKERT": "9"}, "från 1 till 5"), ({}, "minst en fråga"), ({"TEXT": "x" * 2001}, "2 000")],
)
def test_a_bad_answer_is_refused_and_the_link_still_works(world, answers, message):
    _staff_with_email(world, 5)
    client = world.home.client(Role.COORDINATOR)
    location = _create(client)["Location"]
    mail.outbox.clear()
    client.post(location)
    token = re.search(r"/enkat/([^/\s]+)/", mail.outbox[0].body).group(1)
    with scopes_disabled():
        likert, text = Survey.objects.get().questions.order_by("position")
    data = {
        f"q{likert.pk if key == 'LIKERT' else text.pk}": value for key, value in answers.items()
    }
    response = client.post(f"/enkat/{token}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Response.objects.exists()
        assert not Invitation.objects.filter(used=True).exists()
    assert client.get(f"/enkat/{token}/").status_code == 200


def test_unknown_and_closed_links_say_so(world):
    client = world.home.client(Role.COORDINATOR)
    assert client.get("/enkat/no-such-link/").status_code == 404
    assert "inte giltig" in client.get("/enkat/no-such-link/").content.decode()
    _staff_with_email(world, 5)
    location = _create(client)["Location"]
    mail.outbox.clear()
    client.post(location)
    token = re.search(r"/enkat/([^/\s]+)/", mail.outbox[0].body).group(1)
    with scopes_disabled():
        Survey.objects.update(closes_on=timezone.localdate() - timedelta(days=1))
    assert "har stängt" in client.get(f"/enkat/{token}/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "obligatoriskt"),
        ({"closes_on": "2000-01-01"}, "efter i dag"),
        ({"question_1": ""}, "obligatoriskt"),
        ({"introduction": "Ring 19121212-1212 om du undrar"}, "personnumret"),
        ({"audience": "everyone"}, "giltigt"),
    ],
)
def test_a_bad_survey_is_refused(world, changes, message):
    client = world.home.client(Role.COORDINATOR)
    response = _create(client, **changes)
    assert response.status_code == 400
    assert message in response.content.decode().lower() or message in response.content.decode()
    with scopes_disabled():
        assert not Survey.objects.exists()


def test_a_survey_to_fewer_than_five_is_not_sent(world):
    _staff_with_email(world, 2)
    client = world.home.client(Role.COORDINATOR)
    location = _create(client)["Location"]
    page = client.post(location, follow=True).content.decode()
    assert "Minst fem personer" in page
    with scopes_disabled():
        assert not Invitation.objects.exists() and Survey.objects.get().sent_at is None
