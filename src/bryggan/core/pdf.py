"""Simple A4 documents Bryggan produces as PDF (fpdf2): a heading, label–value facts and
sections of text, in DejaVu Sans when the system has it (any language), else Helvetica."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


class Document:
    def __init__(self, title: str):
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.unicode = FONT.exists() and FONT_BOLD.exists()
        if self.unicode:
            self.pdf.add_font("DejaVu", "", str(FONT))
            self.pdf.add_font("DejaVu", "B", str(FONT_BOLD))
        self.family = "DejaVu" if self.unicode else "Helvetica"
        self.pdf.set_title(self.text(title))
        self.pdf.set_creator("Bryggan")
        self.pdf.add_page()

    def text(self, value: object) -> str:
        value = str(value)
        return value if self.unicode else value.encode("latin-1", "replace").decode("latin-1")

    def heading(self, value: object, size: int = 16) -> None:
        self.pdf.set_font(self.family, "B", size)
        self.pdf.multi_cell(0, size * 0.56, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def facts(self, rows: list[tuple[object, object]]) -> None:
        for label, value in rows:
            self.pdf.set_font(self.family, "B", 10)
            self.pdf.cell(45, 6, self.text(label))
            self.pdf.set_font(self.family, "", 10)
            self.pdf.multi_cell(0, 6, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def section(self, label: object, body: object) -> None:
        self.pdf.ln(3)
        self.heading(label, size=12)
        self.paragraph(body)

    def paragraph(self, body: object, size: int = 10) -> None:
        self.pdf.set_font(self.family, "", size)
        self.pdf.multi_cell(0, size / 2, self.text(body), new_x="LMARGIN", new_y="NEXT")

    def output(self) -> bytes:
        return bytes(self.pdf.output())

    def table(self, header: list[str], rows: list[list[str]], size: int = 8) -> None:
        """A table of text cells, the header repeated on each page."""
        self.pdf.set_font(self.family, "", size)
        with self.pdf.table(
            headings_style=_bold_headings(self.family), line_height=size * 0.5, padding=0.8
        ) as table:
            table.row([self.text(cell) for cell in header])
            for cells in rows:
                table.row([self.text(cell) for cell in cells])
        self.pdf.ln(2)

    def image(self, png: bytes, width: float = 170) -> None:
        import io

        self.pdf.image(io.BytesIO(png), w=width)
        self.pdf.ln(2)

    def page_break(self) -> None:
        self.pdf.add_page()


def _bold_headings(family: str):
    from fpdf.fonts import FontFace

    return FontFace(family=family, emphasis="BOLD", fill_color=(230, 236, 242))
