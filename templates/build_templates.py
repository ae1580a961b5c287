"""Build templates/report.docx, the default Word report: python templates/build_templates.py

The template is an ordinary .docx with jinja2 tags (docxtpl) that users may edit in Word or WPS:
text, headings and styles are theirs to change; the tags say where wenuan puts the words.
Its layout is that of a 送温暖活动报告 (GB/T 9704 margins, 仿宋 三号 body, 黑体 headings).
Tags: {{ report_title }} {{ to }} (主送) {{ intro }} {{ unverified }} (figures with errors)
{{ signer }} (落款) {{ date }} {{ union }} (the notice's union); paragraphs, each a RichText:
{%p for para in basics %}{{r para }} (一、基本情况), methods (二、主要做法), results (三、取得成效),
problems (四、存在问题), plans (五、下一步打算); {{p units }} (the units behind a total);
{{ chart }} (a picture); {%p for line in chasing %} (units missing or late); {{p tables }} (the
statistics tables, as 附件). `summary` is basics as plain text, for templates of wenuan ≤ 0.x.
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
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)  # GB/T 9704 公文 margins
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    east_asian(doc.styles["Normal"], "仿宋", size=16)  # 三号仿宋
    doc.styles["Normal"].paragraph_format.line_spacing = Pt(28)
    doc.styles["Normal"].paragraph_format.space_after = Pt(0)
    for name, font, size in (("Title", "宋体", 22), ("Heading 1", "黑体", 16)):
        style = doc.styles[name]
        east_asian(style, font, size)
        style.font.color.rgb = RGBColor(0, 0, 0)  # an official report is black
        style.font.bold = name == "Title"
        style.paragraph_format.first_line_indent = Pt(32) if name == "Heading 1" else None
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = Pt(28 if name == "Heading 1" else 36)
    title = doc.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(16)
    borders = title.element.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is not None:  # python-docx's Title has a rule under it: not in a 公文
        borders.getparent().remove(borders)
    east_asian(doc.styles["Table Grid"], "宋体", 10.5)

    def para(text: str, align=None, style=None, indent=True, keep=False):
        p = doc.add_paragraph(text, style=style)
        if align is not None:
            p.alignment = align
        if indent and style is None and align is None:
            p.paragraph_format.first_line_indent = Pt(32)  # two characters
        p.paragraph_format.keep_with_next = keep or None
        return p

    def part(heading: str, name: str, keep: bool = False):
        doc.add_heading(heading, level=1)
        para(f"{{%p for para in {name} %}}")
        para("{{r para }}", keep=keep)
        para("{%p endfor %}")

    para("{{ report_title }}", style="Title")
    para("{%p if unverified %}")
    warn = para("{{ unverified }}")
    warn.runs[0].font.bold = True
    warn.runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)
    para("{%p endif %}")
    para("{{ to }}", indent=False)
    para("{{ intro }}")
    part("一、基本情况", "basics")
    para("{%p if units %}")
    para("{{p units }}")
    para("{%p endif %}")
    para("{%p if chart %}")
    chart = para("{{ chart }}", WD_ALIGN_PARAGRAPH.CENTER)
    chart.paragraph_format.line_spacing = 1.0  # a fixed 28 pt line would clip the picture
    para("{%p endif %}")
    para("{%p if chasing %}")
    para("{%p for line in chasing %}")
    para("{{ line }}")
    para("{%p endfor %}")
    para("{%p endif %}")
    part("二、主要做法", "methods")
    part("三、取得成效", "results")
    part("四、存在问题", "problems")
    part("五、下一步打算", "plans", keep=True)  # its last lines go with 落款 and 日期
    para("", keep=True)
    signer = para("{{ signer }}", WD_ALIGN_PARAGRAPH.RIGHT, keep=True)
    signer.paragraph_format.right_indent = Pt(32)
    day = para("{{ date }}", WD_ALIGN_PARAGRAPH.RIGHT)
    day.paragraph_format.right_indent = Pt(32)
    para("{{p tables }}")
    target = HERE / "report.docx"
    doc.core_properties.title = "送温暖活动报告"
    doc.core_properties.author = "wenuan"
    doc.save(target)
    return target


if __name__ == "__main__":
    print(build())
