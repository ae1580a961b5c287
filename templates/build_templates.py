"""Build templates/report.docx, the default Word report: python templates/build_templates.py

The template is an ordinary .docx with jinja2 tags (docxtpl) that users may edit in Word or WPS:
text, headings and styles are theirs to change; the tags say where wenuan puts the words.
Its layout is that of a 送温暖活动报告 (GB/T 9704 margins, 仿宋 三号 body, 黑体 headings).
Tags: {{ report_title }} {{ to }} (主送) {{ intro }} {{ unverified }} (figures with errors)
{{ signer }} (落款) {{ date }} {{ union }} (the notice's union); paragraphs, each a RichText:
{%p for para in basics %}{{r para }} (一、基本情况), methods, results, situation (困难职工状况和
政策建议, empty unless the notice asks for it), problems, plans, each headed {{ heads.methods }}
(二、主要做法: numbered as the parts present); {{p units }} (the units behind a total); {{ chart }}
(a picture); {%p for line in attachments %} (附件说明, before the 落款); {{p tables }} (the
statistics tables, as 附件). Page numbers (— 1 —) are in the footers, odd right, even left.
`summary` is basics as plain text and `chasing` is empty, for templates of wenuan ≤ 0.x.
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


def page_numbers(doc) -> None:
    """GB/T 9704 7.5: 4号 半角 宋体 — 1 —, odd pages right and even pages left, a 字 in."""
    from docx.oxml import OxmlElement

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        p.alignment = align
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(14)
        for text, field in (
            ("— ", None),
            (None, "begin"),
            (" PAGE ", None),
            (None, "end"),
            (" —", None),
        ):
            run = p.add_run()
            run.font.size = Pt(14)
            if field:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), field)
                run._r.append(char)
            elif text.strip() == "PAGE":
                code = OxmlElement("w:instrText")
                code.set(qn("xml:space"), "preserve")
                code.text = text
                run._r.append(code)
            else:
                run.text = text


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
        doc.add_heading(heading, level=1).paragraph_format.keep_with_next = True
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
    part("{{ heads.methods }}", "methods")
    part("{{ heads.results }}", "results")
    para("{%p if situation %}")
    part("{{ heads.situation }}", "situation")
    para("{%p endif %}")
    part("{{ heads.problems }}", "problems")
    part("{{ heads.plans }}", "plans", keep=True)  # its last lines go with 落款 and 日期
    para("", keep=True)
    para("{%p for line in attachments %}")
    para("{{ line }}", keep=True)  # GB/T 9704 7.3.2: 附件说明 under the text, before 署名
    para("{%p endfor %}")
    para("", keep=True)
    signer = para("{{ signer }}", WD_ALIGN_PARAGRAPH.RIGHT, keep=True)
    signer.paragraph_format.right_indent = Pt(32)
    day = para("{{ date }}", WD_ALIGN_PARAGRAPH.RIGHT)
    day.paragraph_format.right_indent = Pt(32)
    para("{{p tables }}")
    page_numbers(doc)
    target = HERE / "report.docx"
    doc.core_properties.title = "送温暖活动报告"
    doc.core_properties.author = "wenuan"
    doc.save(target)
    return target


if __name__ == "__main__":
    print(build())
