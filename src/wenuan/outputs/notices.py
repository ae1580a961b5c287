"""Correction notices as files: a 公文-style Word letter (A4, centred title, 主送, body, the
problems numbered, 落款 and date at the right) and the same words as text beside it."""

from pathlib import Path

from wenuan.words.notices import notice, notice_text

NOTICE_FONT = "仿宋"
TITLE_FONT = "黑体"


def notice_docx(st, u):
    """The notice to one unit as a Word document on A4."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    n = notice(st, u)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)  # GB/T 9704: the 公文 page
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = NOTICE_FONT, Pt(16)  # 三号
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), NOTICE_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)

    def paragraph(words: str, indent: bool = True, align=None, font=None, size=None):
        par = doc.add_paragraph()
        run = par.add_run(words)
        if font:
            run.font.name = font
            run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if size:
            run.font.size = Pt(size)
        if indent:
            par.paragraph_format.first_line_indent = Pt(32)  # two characters
        if align is not None:
            par.alignment = align
        return par

    title = paragraph(n.title, False, WD_ALIGN_PARAGRAPH.CENTER, TITLE_FONT, 22)  # 二号
    title.paragraph_format.space_after = Pt(28)
    paragraph(f"{n.unit}：", indent=False)
    for words in n.paragraphs:
        paragraph(words)
    for i, words in enumerate(n.problems, start=1):
        paragraph(f"{i}. {words}")
    if n.basis:
        paragraph(n.basis)
    doc.add_paragraph()
    doc.add_paragraph()
    for words in (n.union, n.day):
        par = paragraph(words, False, WD_ALIGN_PARAGRAPH.RIGHT)
        par.paragraph_format.right_indent = Pt(64)  # 右空四字
    return doc


def write_notices(st, folder: Path, force: bool) -> list[tuple[Path, bool]]:
    """A notice for each unit missing, late or wrong, as UTF-8 text (Notepad and WPS open it)
    and as a Word document beside it: each (path, written); a notice already there is kept,
    and listed unwritten, unless forced. File names come from the units' names made safe:
    nothing lands outside `folder`."""
    from wenuan.outputs.writing import (
        output_errors,
        safe_name,
        save_atomically,
        write_text_atomically,
    )

    with output_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
    done: list[tuple[Path, bool]] = []
    taken: set[str] = set()
    for u in st.units:
        if u.state == "ok":
            continue
        stem, n = f"{safe_name(u.unit)}_更正通知", 1
        while (name := f"{stem}({n})" if n > 1 else stem).casefold() in taken:
            n += 1  # two names made alike by the cleaning: Windows folds case too
        taken.add(name.casefold())
        for suffix in (".txt", ".docx"):
            target = folder / f"{name}{suffix}"
            if target.exists() and not force:
                done.append((target, False))
            elif suffix == ".txt":
                write_text_atomically(target, notice_text(st, u), force)
                done.append((target, True))
            else:
                save_atomically(notice_docx(st, u), target, force, (".docx",))
                done.append((target, True))
    return done
