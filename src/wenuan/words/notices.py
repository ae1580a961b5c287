"""The correction notice a city union sends a unit, in its words: addressed to the union by the
name on its return, each problem in the unit's own words at the cell to change, the day to
resend by, the city union's name and the date. Chinese, as a 公文 is."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from wenuan.words.findings import place_parts, place_words, say, to_change
from wenuan.words.safetext import printable


@dataclass
class Notice:
    """A notice to one unit, in parts: written out as text, or as a Word letter
    (`outputs.notices.notice_docx`)."""

    title: str
    unit: str  # 主送: the union as its return names it
    paragraphs: list[str]
    problems: list[str]  # each in the unit's words, at the cell to change
    basis: str | None  # the notice's own words on the deadline
    union: str
    day: str


def chinese_date(day: date) -> str:
    """2010年2月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def addressee(u) -> str:
    """The union a notice is sent to: the name on its return, else the roster's full name."""
    return printable(u.named or u.full or u.unit)


def problem(f) -> str:
    """One problem in the unit's words; where its sentence does not name the cell to change,
    the cell first (第 17 行 D 列：…)."""
    words = say(f, "unit", "zh")
    cell = to_change(f)
    _, a1 = place_parts(cell)
    if cell and a1 and f"（{a1}）" not in words and a1 not in words:
        return f"{printable(place_words(cell))}：{words}"
    return words


def notice(st, u) -> Notice:
    """What to tell one unit: what to fix, where, and by when."""
    from wenuan.checking.validate import returns_deadline

    form = st.form
    due = returns_deadline(form)
    tables = "、".join(f"《{tb.title}》" for tb in form.tables)
    to = f"报{due.to}" if due and due.to else "报送"
    by = chinese_date(st.deadline) if st.deadline else ""
    paragraphs = []
    if u.state == "missing":
        paragraphs.append(
            f"贵单位尚未报送{tables}。请于{by}前{to}。"
            if by
            else f"贵单位尚未报送{tables}，请尽快{to}。"
        )
    else:
        if u.late_days and u.late_days > 0:
            got = date.fromisoformat(u.received) if u.received else None
            paragraphs.append(
                f"贵单位于{chinese_date(got) if got else printable(u.received)}报送{tables}，"
                f"已逾期 {u.late_days} 天（{u.late_workdays} 个工作日），截止日期为{by}。"
            )
        if u.findings:
            when = (
                f"于{by}前"
                if st.days_left is not None and st.days_left >= 0
                else ("尽快" + (f"（截止日期为{by}）" if by else ""))
            )
            paragraphs.append(
                f"贵单位报送的{tables}（文件 {printable(Path(u.path).name)}）经审核有以下问题，"
                f"请核对更正后{when}重新{to}："
            )
    return Notice(
        title={"missing": "催报通知", "late": "逾期报送提醒"}.get(u.state, "更正通知"),
        unit=addressee(u),
        paragraphs=paragraphs,
        problems=[problem(f) for f in u.findings],
        basis=f"截止时间依据通知原文：“{due.text}”" if due else None,
        union=form.union,
        day=chinese_date(st.as_of),
    )


def notice_text(st, u) -> str:
    """A notice for one unit as plain text."""
    n = notice(st, u)
    lines = [n.title, "", f"{n.unit}：", ""]
    lines += [f"    {p}" for p in n.paragraphs]
    lines += [f"    {i}. {words}" for i, words in enumerate(n.problems, start=1)]
    lines += ["", f"    {n.basis}" if n.basis else "", "", n.union, n.day, ""]
    return "\n".join(lines)
