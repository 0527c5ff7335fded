"""The insights pages, their exports, charts and the council's PDF, as a coordinator uses
them: the figures are the database's counts, every table downloads as CSV and XLSX, the
forecast refuses a negative or absurd need, and the national analyst sees only counts with
small groups hidden."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from bryggan.core.roles import Role
from bryggan.insights import services
from bryggan.insights.models import HiringNeed, MunicipalityYear
from bryggan.programme.models import OfferStatus
from bryggan.recruitment.models import Application
from tests.clients import query_counts, signed_in_client
from tests.insights_data import build_insights

pytestmark = pytest.mark.django_db

PAGES = [
    "/insikter/",
    "/insikter/?year={year}",
    "/insikter/kvarstannande/",
    "/insikter/personal/",
    "/insikter/handledare/",
    "/insikter/prognos/",
    "/insikter/enkater/",
    "/insikter/import/",
]


@pytest.fixture
def built(world):
    return build_insights(world.home)


def test_the_funnel_counts_people_at_each_stage(world, built):
    client = world.home.client(Role.COORDINATOR)
    with scopes_disabled():
        m = world.home.municipality
        applied = Application.objects.filter(municipality=m).values("person").distinct().count()
        hired = (
            Application.objects.filter(
                municipality=m,
                person__participant__offers__status=OfferStatus.ACCEPTED,
            )
            .values("person")
            .distinct()
            .count()
        )
    response = client.get("/insikter/")
    assert response.status_code == 200
    funnel = response.context["funnel"]
    assert funnel.count("applications") == applied > 0
    assert funnel.count("hired") == hired
    counts = [n for _label, n in funnel.stages]
    assert counts == sorted(counts, reverse=True)  # each stage a part of the one before
    html = response.content.decode()
    assert "Från ansökan till anställning" in html
    assert 'id="by-university"' in html and 'id="by-source"' in html


def test_every_page_answers_with_its_tables_and_charts(world, built):
    client = world.home.client(Role.COORDINATOR)
    year = timezone.localdate().year - 2
    for path in PAGES:
        response = client.get(path.format(year=year))
        assert response.status_code == 200, path
        html = response.content.decode()
        charts = html.count('<figure class="chart">')
        # Each chart is drawn with the page, as a picture beside its table.
        assert html.count('src="data:image/png;base64,iVBOR') == charts, path
    for path in PAGES[:6]:
        assert '<figure class="chart">' in client.get(path.format(year=year)).content.decode()
    for chart in ("funnel", "retention", "turnover", "sick-leave", "load", "forecast"):
        response = client.get(f"/insikter/diagram/{chart}.png")
        assert response.status_code == 200, chart
        assert response["Content-Type"] == "image/png"
        assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/insikter/diagram/nothing.png").status_code == 404


def test_every_table_downloads_as_csv_and_xlsx(world, built):
    client = world.home.client(Role.COORDINATOR)
    for page, path in (
        ("funnel", "/insikter/"),
        ("retention", "/insikter/kvarstannande/"),
        ("workforce", "/insikter/personal/"),
        ("load", "/insikter/handledare/"),
        ("forecast", "/insikter/prognos/"),
    ):
        tables = client.get(path).context["tables"]
        assert tables, page
        for table in tables:
            csv = client.get(f"/insikter/export/{page}/{table.key}.csv")
            assert csv.status_code == 200, (page, table.key)
            text = b"".join(csv.streaming_content).decode("utf-8-sig")
            assert text.splitlines()[0].split(";")[0] == str(table.header[0])
            assert len(text.strip().splitlines()) == len(table.rows) + 1
            xlsx = client.get(f"/insikter/export/{page}/{table.key}.xlsx")
            assert xlsx.status_code == 200
            book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
            assert book.active.max_row == len(table.rows) + 1
    assert client.get("/insikter/export/funnel/nothing.csv").status_code == 404
    assert client.get("/insikter/export/nothing/funnel.csv").status_code == 404


def test_the_council_report_is_a_pdf_with_the_years_figures(world, built):
    from pypdf import PdfReader

    client = world.home.client(Role.COORDINATOR)
    year = timezone.localdate().year - 2
    response = client.get(f"/insikter/rapport.pdf?year={year}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "rapport till programrådet" in text
    assert "Från ansökan till anställning" in text
    assert "Kvarstannande" in text and "Personalomsättning" in text
    assert "Prognos" in text


def test_the_forecast_takes_a_need_and_refuses_a_negative_or_absurd_one(world, built):
    client = world.home.client(Role.COORDINATOR)
    department = world.home.objects["department"]
    year = timezone.localdate().year + 1
    for need, message in (("-3", "kan inte vara negativt"), ("100000", "Högst 500")):
        response = client.post(
            f"/insikter/prognos/?year={year}",
            {"department": department.pk, "year": year, "need": need},
        )
        assert response.status_code == 400, need
        assert message in response.content.decode(), need
    response = client.post(
        "/insikter/prognos/", {"department": department.pk, "year": 1999, "need": 2}
    )
    assert response.status_code == 400
    with scopes_disabled():
        assert HiringNeed.objects.get(department=department, year=year).need == 3
    response = client.post(
        "/insikter/prognos/", {"department": department.pk, "year": year, "need": 7}
    )
    assert response.status_code == 302
    page = client.get(f"/insikter/prognos/?year={year}&probability=90")
    planned = page.context["planned"]
    assert [p.need for p in planned] == [7]
    assert planned[0].forecast.probability == 0.9
    assert planned[0].forecast.step1_places >= 7


def test_the_forecast_api_refuses_bad_numbers(world, built):
    client = world.home.client(Role.COORDINATOR)
    department = world.home.objects["department"]
    year = timezone.localdate().year + 1
    for body in (
        {"department_id": department.pk, "year": year, "need": -1},
        {"department_id": department.pk, "year": year, "need": 501},
        {"department_id": department.pk, "year": 3000, "need": 1},
    ):
        response = client.put("/api/insights/needs", body, content_type="application/json")
        assert response.status_code in (400, 422), body
        assert response["Content-Type"].startswith("application/json")
    response = client.put(
        "/api/insights/needs",
        {"department_id": department.pk, "year": year, "need": 5},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["need"] == 5
    assert client.get("/api/insights/forecast?probability=10").status_code == 400
    found = client.get(f"/api/insights/forecast?year={year}&probability=80").json()
    assert found["tables"][0]["rows"][0][1] == 5


def test_query_counts_do_not_follow_the_number_of_applications(world):
    build_insights(world.home, applications_per_year=8)
    client = world.home.client(Role.COORDINATOR)
    paths = [p.format(year=2020) for p in PAGES]
    small = query_counts([(client, p) for p in paths])
    build_insights(world.home, applications_per_year=60)
    large = query_counts([(client, p) for p in paths])
    assert small == large, list(zip(paths, small, large, strict=True))


def test_the_national_analyst_sees_counts_with_small_groups_hidden(world):
    build_insights(world.home, applications_per_year=30)
    build_insights(world.foreign, applications_per_year=30)
    today = timezone.localdate()
    with scopes_disabled():
        # A municipality with three hires in a year: the count must not show.
        row = MunicipalityYear.objects.filter(municipality=world.foreign.municipality).first()
        row.applications, row.interviewed, row.step1, row.step2, row.offered, row.hired = (
            50,
            30,
            12,
            7,
            3,
            3,
        )
        row.save()
        year = row.year
    analyst = signed_in_client(world.analyst)
    response = analyst.get(f"/insikter/nationellt/?year={year}")
    assert response.status_code == 200
    table = response.context["tables"][0]
    rows = {r[0]: r for r in table.rows}
    foreign = rows[world.foreign.municipality.name]
    assert foreign[1:7] == (50, 30, 12, 7, None, None)
    assert "Norrköping" in response.content.decode()
    api = analyst.get(f"/api/insights/national?year={year}").json()
    shown = {r[0]: r for r in api["tables"][0]["rows"]}
    assert shown[world.foreign.municipality.name][5:7] == [None, None]
    # Nothing about a person: no names from the staff register or the applications.
    assert "Handledarsson" not in response.content.decode()
    # The coordinator cannot open the national view, the analyst not a municipality's.
    assert world.home.client(Role.COORDINATOR).get("/insikter/nationellt/").status_code == 403
    assert analyst.get("/insikter/").status_code == 403
    assert analyst.get("/api/insights/funnel").status_code == 403
    assert services.refresh_national(today=today) > 0


def test_roles_without_insights_are_refused(world, built):
    for role in (Role.STUDENT, Role.SUPERVISOR, Role.MENTOR, Role.UNIVERSITY_CONTACT):
        client = world.home.client(role)
        assert client.get("/insikter/").status_code == 403, role
        assert client.get("/insikter/rapport.pdf").status_code == 403, role
        assert client.get("/api/insights/funnel").status_code == 403, role
    assert world.home.client(Role.HR).get("/insikter/").status_code == 200


def test_a_period_that_is_not_one_is_refused_or_ignored(world, built):
    client = world.home.client(Role.COORDINATOR)
    assert client.get("/insikter/?round=abc").status_code == 404
    assert client.get("/insikter/?year=abc").status_code == 200
    assert client.get("/insikter/personal/?year=99999").status_code == 200
    assert client.get("/api/insights/funnel?year=1").status_code == 400
    assert client.get("/api/insights/funnel?year=abc").status_code in (400, 422)
    assert date.today()


def test_the_nightly_job_counts_and_drops_unconfirmed_imports(world):
    from datetime import timedelta

    from django.core.management import call_command

    from bryggan.insights.models import PendingImport

    built = build_insights(world.home)
    with scopes_disabled():
        PendingImport.objects.filter(pk=built["pending"].pk).update(
            created_at=timezone.now() - timedelta(days=2)
        )
        MunicipalityYear.objects.all().delete()
    out = io.StringIO()
    call_command("insights_refresh", stdout=out)
    assert "1 unconfirmed imports removed" in out.getvalue()
    with scopes_disabled():
        assert not PendingImport.objects.exists()
        assert MunicipalityYear.objects.filter(municipality=world.home.municipality).exists()


def test_applications_removed_by_the_retention_rules_still_count(world, built):
    from bryggan.privacy.models import RemovedApplication

    client = world.home.client(Role.COORDINATOR)
    year = timezone.localdate().year - 2
    before = client.get(f"/insikter/?year={year}").context["funnel"]
    university = world.home.objects["university"]
    RemovedApplication.unscoped.bulk_create(
        RemovedApplication(
            municipality=world.home.municipality,
            posting_kind="practicum",
            stage="rejected",
            interviewed=n < 2,
            source="event",
            university_id=university.pk,
            applied_month=date(year, 3, 1),
            why="retention",
        )
        for n in range(3)
    )
    after = client.get(f"/insikter/?year={year}").context["funnel"]
    assert after.count("applications") == before.count("applications") + 3
    assert after.count("interviewed") == before.count("interviewed") + 2
    assert after.count("hired") == before.count("hired")
    was = {r[0]: r for r in before.tables[1].rows}.get(university.name, (None, 0, 0))
    now = {r[0]: r for r in after.tables[1].rows}[university.name]
    assert (now[1] - was[1], now[2] - was[2]) == (3, 2)
    services.refresh_national(today=timezone.localdate())
    with scopes_disabled():
        counted = MunicipalityYear.objects.get(municipality=world.home.municipality, year=year)
    assert counted.applications == after.count("applications")


def test_the_coordinator_sees_the_national_median_beside_their_own(world):
    build_insights(world.home, applications_per_year=30)
    build_insights(world.foreign, applications_per_year=30)
    with scopes_disabled():
        MunicipalityYear.objects.update(hires_followed=10, retained_12m=8, headcount=50, leavers=6)
    client = world.home.client(Role.COORDINATOR)
    retention = client.get("/insikter/kvarstannande/").content.decode()
    assert "kvar efter 12 månader: 80 %" in retention
    workforce = client.get("/insikter/personal/").content.decode()
    # 6 leavers a year over 50 employed, in every year counted
    assert "Nationell median för personalomsättning: 12 % om året." in workforce
    funnel = client.get("/insikter/").context["funnel"]
    assert funnel.median_rates["interviewed"] is not None
