"""Recruitment pages for staff and the public: they render, and show what each role may see."""

from __future__ import annotations

import pytest
from django.test import Client

from bryggan.core.models import AccessLogEntry
from bryggan.core.roles import Role
from bryggan.recruitment import links
from bryggan.recruitment.models import Stage

pytestmark = pytest.mark.django_db


def test_coordinator_pages_render(rworld):
    rec = rworld.home.rec
    client = rworld.home.client(Role.COORDINATOR)
    pages = [
        "/rekrytering/",
        "/rekrytering/omgang/ny/",
        f"/rekrytering/omgang/{rec['round'].pk}/",
        "/rekrytering/annons/ny/",
        f"/rekrytering/annons/{rec['posting'].pk}/",
        f"/rekrytering/annons/{rec['posting'].pk}/andra/",
        f"/rekrytering/annons/{rec['posting'].pk}/tavla/",
        f"/rekrytering/annons/{rec['posting'].pk}/tavla/?stage=interview&q=anna",
        f"/rekrytering/ansokan/{rec['application'].pk}/",
        f"/rekrytering/ansokan/{rec['application'].pk}/bedomning/",
        "/rekrytering/evenemang/",
        "/rekrytering/evenemang/ny/",
        f"/rekrytering/evenemang/{rec['event'].pk}/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        assert b'lang="sv"' in response.content


def test_board_lists_applicants_with_ranked_wishes(rworld):
    rec = rworld.home.rec
    response = rworld.home.client(Role.COORDINATOR).get(
        f"/rekrytering/annons/{rec['posting'].pk}/tavla/"
    )
    body = response.content.decode()
    assert "Anna Sökande" in body
    assert "1. Utredning" in body


def test_application_page_shows_scores_and_logs_the_read(rworld):
    rec = rworld.home.rec
    client = rworld.home.client(Role.COORDINATOR)
    before = AccessLogEntry.objects.count()
    body = client.get(f"/rekrytering/ansokan/{rec['application'].pk}/").content.decode()
    assert "Motivation" in body and "4.0" in body.replace(",", ".")
    assert AccessLogEntry.objects.count() == before + 1


def test_document_download_is_logged_and_served(rworld):
    rec = rworld.home.rec
    client = rworld.home.client(Role.COORDINATOR)
    response = client.get(f"/rekrytering/dokument/{rec['document'].pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AccessLogEntry.objects.filter(subject_type="document").count() == 1


def test_supervisor_sees_only_applications_shared_with_them(rworld):
    rec = rworld.home.rec
    client = rworld.home.client(Role.SUPERVISOR)
    assert client.get(f"/rekrytering/ansokan/{rec['application'].pk}/").status_code == 200
    assert client.get(f"/rekrytering/ansokan/{rec['application'].pk}/bedomning/").status_code == 200
    rec["application"].shared_with.clear()
    assert client.get(f"/rekrytering/ansokan/{rec['application'].pk}/").status_code == 404
    assert client.get(f"/rekrytering/dokument/{rec['document'].pk}/").status_code == 404
    # Managing recruitment is not theirs at all.
    assert client.get("/rekrytering/").status_code == 403
    assert client.get(f"/rekrytering/annons/{rec['posting'].pk}/tavla/").status_code == 403


@pytest.mark.parametrize("role", [Role.MENTOR, Role.STUDENT, Role.UNIVERSITY_CONTACT])
def test_other_roles_see_no_applicant(rworld, role):
    rec = rworld.home.rec
    client = rworld.home.client(role)
    assert client.get(f"/rekrytering/ansokan/{rec['application'].pk}/").status_code in (403, 404)
    assert client.get(f"/rekrytering/dokument/{rec['document'].pk}/").status_code in (403, 404)


def test_public_pages_render_without_an_account(rworld):
    rec = rworld.home.rec
    client = Client()
    slug = rworld.home.municipality.slug
    for page in (
        f"/karriar/{slug}/",
        f"/karriar/{slug}/{rec['posting'].pk}/",
        f"/karriar/{slug}/{rec['posting'].pk}/ansok/",
        f"/karriar/{slug}/evenemang/{rec['event'].pk}/",
        links.link_path(rec["application"]),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
    feed = client.get(f"/karriar/{slug}/flode.atom")
    assert feed.status_code == 200 and b"<feed" in feed.content
    assert rec["posting"].title.encode() in feed.content


def test_the_status_page_shows_free_times_to_an_invited_applicant(rworld):
    rec = rworld.home.rec
    rec["interview"].delete()
    body = Client().get(links.link_path(rec["application"])).content.decode()
    assert "Rum 1" in body and "Rum 2" in body
    rec["application"].stage = Stage.SCREENING
    rec["application"].save()
    body = Client().get(links.link_path(rec["application"])).content.decode()
    assert "Rum 1" not in body


def test_a_pdf_is_previewed_as_pictures_of_its_pages(rworld):
    import base64
    import re

    from bryggan.recruitment import documents

    rec = rworld.home.rec
    client = rworld.home.client(Role.COORDINATOR)
    url = f"/rekrytering/dokument/{rec['document'].pk}/forhandsvisning/"
    assert (
        f'href="{url}"'
        in client.get(f"/rekrytering/ansokan/{rec['application'].pk}/").content.decode()
    )
    page = client.get(url).content.decode()
    images = re.findall(r'src="data:image/png;base64,([^"]+)" alt="Sida (\d) av (\d)', page)
    assert len(images) == 1 and images[0][1:] == ("1", "1")
    assert base64.b64decode(images[0][0]).startswith(b"\x89PNG\r\n\x1a\n")
    # The browser never gets the PDF: no frame, object or embed of it on the page.
    assert not re.search(r"<(iframe|object|embed)\b", page)
    logged = AccessLogEntry.objects.filter(subject_type="document", purpose="document preview")
    assert logged.count() == 1
    # A stored file that does not open as a PDF is not shown (and not a 500); one that is
    # gone is a 404; those who may not see the file get nothing.
    path = documents.path_of(rec["document"].storage_name)
    path.write_bytes(b"%PDF-1.7\n garbage that is no PDF")
    page = client.get(url).content.decode()
    assert "Filen kan inte visas här" in page and "data:image/png" not in page
    path.unlink()
    assert client.get(url).status_code == 404
    student = rworld.home.client(Role.STUDENT)
    assert student.get(url).status_code in (403, 404)
    assert client.get("/rekrytering/dokument/999999/forhandsvisning/").status_code == 404
