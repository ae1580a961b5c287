"""The chasing list in words: who has reported, who is late, who is wrong (the state of each
unit is `checking.status`'s data)."""

from wenuan.checking.status import STATES, counts
from wenuan.words.messages import t
from wenuan.words.safetext import printable

_STATE = {state: f"s_{state}" for state in STATES}


def state_words(u) -> str:
    """What a unit's line says: 未报送, 逾期 3 天（2 个工作日）, 有错误 …"""
    words = t(_STATE[u.state])
    if u.late_days and u.late_days > 0:
        words += "，" + t("s_late_by", days=u.late_days, work=u.late_workdays)
    return words


def status_head(st, form_name: str | None = None) -> str:
    """The chasing list's head line: the form (its id unless named), the day, the deadline
    and the days left."""
    head = t("s_head", form=form_name or st.form.id, as_of=st.as_of.isoformat())
    if st.deadline and st.days_left is not None and st.days_left < 0:
        head += t("s_deadline_past", deadline=st.deadline.isoformat(), days=-st.days_left)
    elif st.deadline:
        head += t(
            "s_deadline", deadline=st.deadline.isoformat(), days=st.days_left, work=st.workdays_left
        )
    return head


def status_text(st) -> str:
    """The chasing list as text: a head line, then one line a unit."""
    lines = [status_head(st)]
    for u in st.units:
        name = printable(u.unit) + ("" if u.in_roster else t("s_not_in_roster"))
        parts = [name, t(_STATE[u.state])]
        if u.path:
            parts.append(t("s_received", received=printable(u.received or "?")))
            if u.late_days and u.late_days > 0:
                parts.append(t("s_late_by", days=u.late_days, work=u.late_workdays))
            parts.append(t("summary_counts", errors=u.errors, warnings=u.warnings))
        lines.append("  " + "  ".join(parts))
    lines.append(t("s_counts", **counts(st)))
    return "\n".join(lines)
