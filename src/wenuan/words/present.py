"""What the form commands show: plain data (printed as JSON) and its text rendering."""

from datetime import date
from decimal import Decimal

from wenuan.forms import deadlines
from wenuan.forms.model import Deadline, Form, FormEntry, Item, PaymentList, Rule, Table
from wenuan.words.messages import t, weekday


def deadline_data(d: Deadline) -> dict:
    """A deadline as written, with its resolved date, weekday and kind of day."""
    day = d.date
    kind = deadlines.day_kind(day)
    return {
        "id": d.id,
        "what": d.what,
        "to": d.to,
        "text": d.text,
        "when": d.when,
        "date": day.isoformat(),
        "weekday": day.isoweekday(),
        "workday": kind.workday,
        "official_calendar": kind.official,
        "tables": d.tables,
        "reconstructed": d.reconstructed,
        "note": d.note,
    }


def forms_data(entries: dict[str, FormEntry], forms: dict[str, Form], today: date) -> list[dict]:
    """One object per form for `wenuan forms`."""
    out = []
    for form_id, entry in entries.items():
        form = forms[form_id]
        nxt = form.next_deadline(today)
        out.append(
            {
                "id": form.id,
                "city": form.city,
                "title": form.title,
                "doc_no": form.doc_no,
                "tables": [{"id": tb.id, "title": tb.title} for tb in form.tables],
                "next_deadline": {**deadline_data(nxt[0]), "past": nxt[1]} if nxt else None,
                "path": str(entry.path),
                "builtin": entry.builtin,
                "overrides_builtin": entry.overrides,
            }
        )
    return out


def _item_data(item: Item, table: Table) -> dict:
    values = item.all_values
    refs = {c.item: [] for c in table.cells.values()}
    for ref, cell in table.cells.items():
        refs[cell.item].append(ref)
    return {
        "code": item.code,
        "seq": item.seq,
        "label": item.label,
        "unit": "/".join(v.unit for v in values) or None,
        "values": [
            {"code": ref, "unit": v.unit, "label": v.label}
            for ref, v in zip(refs.get(item.code, []), values, strict=False)
        ],
        "required": item.required,
        "reconstructed": item.reconstructed,
        "note": item.note,
        "items": [_item_data(child, table) for child in item.items],
    }


def _rule_data(rule: Rule) -> dict:
    return {
        "id": rule.id,
        "expr": rule.expr,
        "kind": rule.kind,
        "severity": rule.severity,
        "scope": rule.scope,
        "basis": rule.basis,
        "reconstructed": rule.reconstructed,
        "note": rule.note,
    }


def list_data(form: Form, paylist: PaymentList) -> dict:
    """A payment list as written in the form, each rule's dates resolved and said in words."""
    from wenuan.lists.paylists import rule_span

    data = paylist.model_dump(mode="json")
    for rule, out in zip(paylist.rules, data["rules"], strict=True):
        if rule.check == "date":
            start, end = rule_span(rule, form)
            out.update(start_date=start.isoformat(), end_date=end.isoformat())
        elif rule.check == "age":
            out["as_of_date"] = deadlines.resolve(rule.as_of).start.isoformat()
    if (rec := paylist.reconcile) and rec.amount:
        cell = form.table(rec.table).cells[rec.amount]  # within half its last decimal
        data["reconcile"]["amount_tolerance"] = f"{Decimal('0.5').scaleb(-cell.decimals):f}"
    return data


def form_data(form: Form) -> dict:
    """The whole form for `wenuan show --format json`, deadlines resolved."""
    period = None
    if form.period:
        period = {
            **form.period.model_dump(),
            "start_date": deadlines.resolve(form.period.start).start.isoformat(),
            "end_date": deadlines.resolve(form.period.end).end.isoformat(),
        }
    return {
        "id": form.id,
        "version": form.version,
        "city": form.city,
        "union": form.union,
        "doc_no": form.doc_no,
        "title": form.title,
        "campaign": form.campaign,
        "source": form.source,
        "note": form.note,
        "period": period,
        "units": [u.model_dump() for u in form.units],
        "deadlines": [deadline_data(d) for d in form.deadlines],
        "tables": [
            {
                "id": tb.id,
                "title": tb.title,
                "note": tb.note,
                "remark": tb.remark,
                "reconstructed": tb.reconstructed,
                "items": [_item_data(item, tb) for item in tb.items],
                "rules": [_rule_data(r) for r in tb.rules],
            }
            for tb in form.tables
        ],
        "rules": [_rule_data(r) for r in form.rules],
        "lists": [list_data(form, p) for p in form.lists],
    }


# ---- text -----------------------------------------------------------------------------------


def _head(key: str) -> str:
    """A label and its colon: 截止时间： / deadlines: ."""
    return t(key) + t("colon")


def _paren(x) -> str:
    return t("paren", x=x)


def _mark(data: dict) -> str:
    return t("reconstructed_mark") if data.get("reconstructed") else ""


def _day_text(d: dict) -> str:
    day = date.fromisoformat(d["date"])
    kind = t("workday") if d["workday"] else t("restday")
    if not d["official_calendar"]:
        kind += _paren(t("workday_guess"))
    return f"{d['date']} {weekday(day)} {kind}"


def forms_text(rows: list[dict]) -> str:
    """`wenuan forms` as text: three lines a form."""
    lines = []
    for row in rows:
        lines.append(f"{row['id']}  {row['city']}  {row['title']}")
        tables = "、".join(tb["title"] + _paren(tb["id"]) for tb in row["tables"])
        lines.append(f"    {_head('col_tables')}{tables}")
        if nd := row["next_deadline"]:
            past = _paren(t("past")) if nd["past"] else ""
            to = f" → {nd['to']}" if nd["to"] else ""
            lines.append(f"    {_head('col_deadline')}{_day_text(nd)}{past}  {nd['what']}{to}")
        if not row["builtin"]:
            src = t("overrides", path=row["path"]) if row["overrides_builtin"] else row["path"]
            lines.append(f"    {_head('col_source')}{src}")
    return "\n".join(lines)


def _items_text(items: list[dict], depth: int, lines: list[str]) -> None:
    for item in items:
        unit = item["unit"] or ""
        if len(item["values"]) > 1:
            unit = "、".join(f"{v['code']} {v['unit']}" for v in item["values"])
        elif item["values"] and item["values"][0]["code"] != item["code"]:
            unit = f"{item['values'][0]['code']} {unit}"
        lines.append(
            f"{'  ' * (depth + 1)}{item['code']}  {item['label']}  {unit}{_mark(item)}".rstrip()
        )
        _items_text(item["items"], depth + 1, lines)


def _rules_text(rules: list[dict], lines: list[str]) -> None:
    for r in rules:
        sev = t(f"severity_{r['severity']}")
        if r["scope"] != "both":
            sev += t(f"scope_{r['scope']}")
        lines.append(f"  {r['id']}  {sev}{_mark(r)}  {r['expr']}")
        lines.append(f"      {_head('basis')}{r['basis']}")


def _list_rule_text(r: dict) -> str:
    """What a list's rule asks, in words: 类别含“全国劳模”者每人 1000 元."""
    said = {
        "amount": lambda: t("lr_amount", amount=r["amount"]),
        "age": lambda: t("lr_age", as_of=r["as_of_date"], min_age=r["min_age"]),
        "card": lambda: t("lr_card_passbook" if r["passbook"] else "lr_card"),
        "date": lambda: t("lr_date", start=r["start_date"], end=r["end_date"]),
    }[r["check"]]()
    return (t("lr_category", category=r["category"]) if r["category"] else "") + said


def _list_text(form: dict, p: dict, lines: list[str]) -> None:
    lines.append("")
    lines.append(f"【{t('list_head')} {p['id']}】{p['title']}{_mark(p)}")
    lines.append(f"  {_head('basis')}{p['basis']}")
    lines.append(f"  {_head('list_columns')}")
    for c in p["columns"]:
        need = t("col_required" if c["required"] else "col_optional")
        words = f"  {_head('col_words')}{'、'.join(c['words'])}" if c["words"] else ""
        lines.append(f"    {c['name']}  {c['kind']}  {need}{words}")
    if p["rules"]:
        lines.append(f"  {_head('rules')}")
        for r in p["rules"]:
            sev = t(f"severity_{r['severity']}")
            lines.append(f"    {r['id']}  {sev}{_mark(r)}  {_list_rule_text(r)}")
            lines.append(f"        {_head('basis')}{r['basis']}")
    if reg := p["register_check"]:
        lines.append(f"  {_head('lr_register')}")
        for key in ("payees", "coverage"):
            if reg[key]:
                lines.append(f"    {t('lr_' + key)}")
                lines.append(f"        {_head('basis')}{reg[key]}")
    if rec := p["reconcile"]:
        table = next(tb for tb in form["tables"] if tb["id"] == rec["table"])
        values = {v["code"]: (i, v) for i, v in _values(table["items"])}
        lines.append(f"  {_head('lr_reconcile')}{table['title']}{_mark(rec)}")
        if ref := rec["count"]:
            item, v = values[ref]
            key = "lr_count_part" if rec["count_part"] else "lr_count"
            lines.append(f"    {t(key, ref=ref, label=item['label'], unit=v['unit'])}")
        if ref := rec["amount"]:
            item, v = values[ref]
            key = "lr_sum_part" if rec["amount_part"] else "lr_sum"
            tol = f"{rec['amount_tolerance']} {v['unit']}"
            line = t(key, ref=ref, label=item["label"], unit=v["unit"], tol=tol)
            lines.append(f"    {line}")
        lines.append(f"        {_head('basis')}{rec['basis']}")


def _values(items: list[dict]):
    """(item, value) for every value of the items and their parts."""
    for item in items:
        for v in item["values"]:
            yield item, v
        yield from _values(item["items"])


def form_text(data: dict) -> str:
    """`wenuan show` as text: header, deadlines, units, then each table's items and rules."""
    lines = [f"{data['id']}  {data['title']}"]
    head = _head("union") + data["union"]
    if data["doc_no"]:
        head += "  " + _head("doc_no") + data["doc_no"]
    lines.append(head)
    if p := data["period"]:
        span = _paren(f"{p['start_date']} ~ {p['end_date']}")
        lines.append(f"{_head('period')}{p['text']}{span}{_mark(p)}")
    if data["deadlines"]:
        lines.append(_head("deadlines"))
        for d in data["deadlines"]:
            to = f" → {d['to']}" if d["to"] else ""
            lines.append(f"  {d['id']}  {_day_text(d)}  {d['what']}{to}{_mark(d)}")
            lines.append(f"      “{d['text']}”")
    if data["units"]:
        names = "、".join(u["name"] + ("*" if u["reconstructed"] else "") for u in data["units"])
        lines.append(t("units") + _paren(len(data["units"])) + t("colon") + names)
    for tb in data["tables"]:
        lines.append("")
        lines.append(f"【{tb['id']}】{tb['title']}{_mark(tb)}")
        _items_text(tb["items"], 0, lines)
        if tb["rules"]:
            lines.append(_head("rules"))
            _rules_text(tb["rules"], lines)
    if data["rules"]:
        lines.append("")
        lines.append(_head("cross_table_rules"))
        _rules_text(data["rules"], lines)
    for p in data["lists"]:
        _list_text(data, p, lines)
    return "\n".join(line.rstrip() for line in lines)
