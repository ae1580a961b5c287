"""Build templates/report.docx, the default Word report: python templates/build_templates.py

The template is an ordinary .docx with jinja2 tags (docxtpl) that users may edit in Word or WPS:
text, headings and styles are theirs to change; the tags say where wenuan puts the figures.
Tags: {{ union }} {{ report_title }} {{ intro }} {{ date }}; paragraphs {%p for para in summary %};
{{p tables }} (the statistics tables); {{p units }} (per unit, for a total); {%p for line in
chasing %} (units missing or late); {{ chart }} (a picture of the main items).
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).parent
EAST_ASIAN = "宋体"  # SimSun: on every Chinese Windows; WPS and LibreOffice substitute when absent
LATIN = "Times New Roman"


def east_asian(style, name: str = EAST_ASIAN, size: float | None = None) -> None:
    """Set a style's fonts, the East-Asian one too (w:eastAsia), so Chinese shows, not boxes."""
    style.font.name = LATIN
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    if size:
        style.font.size = Pt(size)


def build() -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, not python-docx's Letter
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    east_asian(doc.styles["Normal"], size=12)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 13)):
        east_asian(doc.styles[name], "黑体", size)
        doc.styles[name].font.color.rgb = RGBColor(0, 0, 0)  # an official report is black
    east_asian(doc.styles["Table Grid"])

    def para(text: str, align=None, style=None):
        p = doc.add_paragraph(text, style=style)
        if align is not None:
            p.alignment = align
        return p

    para("{{ union }}", WD_ALIGN_PARAGRAPH.CENTER)
    para("{{ report_title }}", WD_ALIGN_PARAGRAPH.CENTER, "Title")
    para("{{ intro }}")
    doc.add_heading("一、基本情况", level=1)
    para("{%p for para in summary %}")
    para("{{ para }}").paragraph_format.first_line_indent = Pt(24)
    para("{%p endfor %}")
    doc.add_heading("二、统计表", level=1)
    para("{{p tables }}")
    para("{%p if units %}")
    doc.add_heading("三、各单位情况", level=1)
    para("{{p units }}")
    para("{%p endif %}")
    para("{%p if chasing %}")
    doc.add_heading("报送情况", level=1)
    para("{%p for line in chasing %}")
    para("{{ line }}")
    para("{%p endfor %}")
    para("{%p endif %}")
    para("{%p if chart %}")
    para("{{ chart }}", WD_ALIGN_PARAGRAPH.CENTER)
    para("{%p endif %}")
    para("")
    para("{{ union }}", WD_ALIGN_PARAGRAPH.RIGHT)
    para("{{ date }}", WD_ALIGN_PARAGRAPH.RIGHT)
    target = HERE / "report.docx"
    doc.core_properties.title = "送温暖活动报告"
    doc.core_properties.author = "wenuan"
    doc.save(target)
    return target


if __name__ == "__main__":
    print(build())
