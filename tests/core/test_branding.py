"""Each municipality's colour and logo: only readable colours, only pictures redrawn by
Bryggan, shown in the header of its staff pages and its careers pages."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from bryggan.core.admin import MunicipalityForm
from bryggan.core.branding import logo_png, validate_brand_colour
from bryggan.core.roles import Role

pytestmark = pytest.mark.django_db


def _png(width=400, height=200, fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#00558c").save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("colour", ["#00558c", "#8A1538", ""])
def test_readable_colours_are_accepted(colour):
    validate_brand_colour(colour)


@pytest.mark.parametrize(
    "colour, message",
    [
        ("#ffcc00", "kontrast på 1,"),  # white on yellow: unreadable
        ("#777777", "kontrast på 4,5"),  # just under 4.5:1
        ("blue", "sex hexadecimala"),
        ("#12345", "sex hexadecimala"),
        ("#12345g", "sex hexadecimala"),
        ("#00558c; } body { display:none", "sex hexadecimala"),
    ],
)
def test_unreadable_or_malformed_colours_are_refused(colour, message):
    with pytest.raises(ValidationError) as refused:
        validate_brand_colour(colour)
    assert message in str(refused.value)


def test_a_logo_is_redrawn_as_a_small_png():
    redrawn = logo_png(SimpleUploadedFile("logo.jpg", _png(fmt="JPEG"), "image/jpeg"))
    with Image.open(io.BytesIO(redrawn)) as image:
        assert (image.format, image.size) == ("PNG", (192, 96))


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "inte en bild",
        ),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "inte en bild"),
        ("logo.gif", _png(40, 20, "GIF"), "PNG- eller JPEG-bild"),
        ("logo.png", b"x" * 1_000_001, "högst 1 MB"),
        ("wide.png", _png(2000, 100), "för bred"),
        ("huge.png", _png(2100, 2000), "4 miljoner"),
    ],
)
def test_bad_logos_are_refused_with_the_reason(name, content, message):
    form = MunicipalityForm(
        data={"name": "X", "slug": "x", "kommunkod": "0999", "brand_colour": ""},
        files={"logo_upload": SimpleUploadedFile(name, content)},
    )
    assert not form.is_valid()
    assert message in str(form.errors["logo_upload"])


def test_the_colour_and_logo_reach_the_staff_and_careers_pages(world):
    municipality = world.home.municipality
    form = MunicipalityForm(
        instance=municipality,
        data={
            "name": municipality.name,
            "slug": municipality.slug,
            "kommunkod": municipality.kommunkod,
            "brand_colour": "#00558c",
        },
        files={"logo_upload": SimpleUploadedFile("logo.png", _png())},
    )
    assert form.is_valid(), form.errors
    form.save()
    slug = municipality.slug
    css = Client().get(f"/kommun/{slug}/tema.css")
    assert css.content.decode() == ":root { --band: #00558c; }\n"
    assert css["Content-Type"].startswith("text/css")
    picture = Client().get(f"/kommun/{slug}/logo.png")
    assert picture["Content-Type"] == "image/png" and picture.content.startswith(b"\x89PNG")
    for page in (
        Client().get(f"/karriar/{slug}/").content.decode(),
        world.home.client(Role.COORDINATOR).get("/").content.decode(),
    ):
        assert f'href="/kommun/{slug}/tema.css"' in page
        assert f'src="/kommun/{slug}/logo.png?v=' in page
    # The other municipality keeps Bryggan's own look.
    other = world.foreign.client(Role.COORDINATOR).get("/").content.decode()
    assert "/kommun/" not in other
    assert Client().get(f"/kommun/{world.foreign.municipality.slug}/logo.png").status_code == 404
    assert Client().get("/kommun/finns-inte/tema.css").status_code == 404
    # Removing the logo takes it away.
    form = MunicipalityForm(
        instance=municipality,
        data={
            "name": municipality.name,
            "slug": slug,
            "kommunkod": municipality.kommunkod,
            "brand_colour": "#00558c",
            "logo_remove": "on",
        },
    )
    assert form.is_valid()
    form.save()
    assert Client().get(f"/kommun/{slug}/logo.png").status_code == 404
