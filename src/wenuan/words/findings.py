"""Findings in words, for whoever reads them: a unit (the correction notice, the page a unit
sees: labels and the cell in its own file, no code, rule or formula), a clerk (the command
line, the campaign page: the same sentence, then the codes in brackets) or a script (JSON: the
clerk's words beside every field). In Chinese or English; made from `what` and `params`."""

import re
from contextlib import contextmanager
from decimal import Decimal

from wenuan.forms.rules import BinOp, Num, Ref, parse
from wenuan.words.messages import CATALOGUE, get_lang, set_lang, t
from wenuan.words.safetext import shown

AUDIENCES = ("unit", "clerk", "json")
RULE_KINDS = ("f_identity", "f_inequality", "f_rule")
_A1 = re.compile(r"([A-Z]{1,3})([0-9]+)")
_HOW_MANY = "零一两三四五六七八九十"
_ELSEWHERE = {"l_recon_count", "l_recon_amount", "l_recon_less"}  # the item is in another file
_AMONG = re.compile(r"^其中\s*[:：,，]?\s*")


def say(finding, audience: str = "clerk", lang: str | None = None) -> str:
    """The finding in words for `audience` (unit, clerk, json), in `lang` (the language in use
    unless given); text from a file in it is made safe to show, ID and card numbers masked."""
    with language(lang):
        return shown(words(finding.what, finding.params, audience))


@contextmanager
def language(lang: str | None):
    """Speak `lang` for a while (the catalogue's language is the process's)."""
    before = get_lang()
    set_lang(lang or before)
    try:
        yield
    finally:
        set_lang(before)


def template(what: str, audience: str) -> str:
    """The catalogue key for `what` said to `audience`: a unit's own wording, if it has one."""
    own = f"{what}@unit"
    return own if audience == "unit" and own in CATALOGUE else what


def words(what: str, params: dict, audience: str) -> str:
    """The sentence of one finding (or of a part of one, `params` nesting `what`)."""
    if what in RULE_KINDS:
        return _rule(params, audience)
    fields = {k: _field(v, audience) for k, v in params.items()}
    if "label" in params:
        fields["item"] = item(params, audience, what in _ELSEWHERE)
    if what in ("f_late", "f_late_assumed"):
        fields["years"] = "、".join(params.get("guessed", []))
    text = t(template(what, audience), **fields)
    if what in ("f_late", "f_late_assumed") and params.get("guessed"):
        text += t(template("f_late_guess", audience), years=fields["years"])
    if fix := params.get("fix"):
        text += _single_fix(fix, audience)
    if person := params.get("person"):
        text = t("l_person", person=person, text=text)
    return text


def _field(value, audience: str):
    """A parameter as words: a nested finding said, a list joined, anything else as is."""
    if isinstance(value, dict) and "what" in value:
        return words(value["what"], value.get("params", {}), audience)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return t("list_sep").join(value)
    if isinstance(value, list):  # findings: 一个错误；另一个错误
        return "；".join(str(_field(v, audience)) for v in value)
    return value


def item(p: dict, audience: str, at: bool = False) -> str:
    """An item as its reader names it: for a unit its label and where it is in the unit's file
    (贵单位报表第 17 行“政府拨款”（D17））; for a clerk the label, then the code (and, `at`, the
    cell: the cell of a fix is not the finding's)."""
    label = plain(p["label"])
    _, cell = place_parts(p.get("cell"))
    if audience != "unit":
        if at and cell:
            return t("item_clerk_at", label=label, code=p["item"], cell=cell)
        return t("item_clerk", label=label, code=p["item"])
    m = _A1.fullmatch(cell or "")
    if not cell:
        return t("item_unit", label=label)
    if m:
        return t("item_unit_row", label=label, row=m.group(2), cell=cell)
    return t("item_unit_at", label=label, at=cell)  # 表格1第2行第3列 in a Word document


def plain(label: str) -> str:
    """A label as a sentence names the item: 政府拨款, not 其中政府拨款 (the form's indent)."""
    return _AMONG.sub("", label) or label


def place_parts(place: str | None) -> tuple[str | None, str | None]:
    """A place 'sheet!D17' as (sheet, D17); a Word document's place has no sheet."""
    if not place:
        return None, None
    if "!" in place:
        sheet, cell = place.rsplit("!", 1)
        return sheet.strip("'"), cell
    return None, place


def place_words(place: str | None) -> str:
    """Where a cell is, as a unit finds it in its own file: 第 17 行 D 列, or the place as read."""
    _, cell = place_parts(place)
    m = _A1.fullmatch(cell or "")
    return t("place_row", row=m.group(2), col=m.group(1)) if m else (cell or "")


def to_change(finding) -> str | None:
    """The cell to change: the suggested one, else the one located, else the finding's."""
    if finding.suggestion and finding.suggestion.cell:
        return finding.suggestion.cell
    advice = finding.params.get("advice") or {}
    located = (advice.get("fixes") or []) + (advice.get("located") or [])
    if len(located) == 1 and located[0].get("cell"):
        return located[0]["cell"]
    return finding.cell


# rules: both sides in words, then what to change


def _rule(p: dict, audience: str) -> str:
    expr = parse(p["expr"])
    terms = {term["ref"]: term for term in p["terms"]}
    units = _unit(expr.left, terms), _unit(expr.right, terms)
    left = _side(expr.left, p["left"], terms, units[0] or units[1])
    right = _side(expr.right, p["right"], terms, units[1] or units[0])
    unit = _unit_words(units[0] or units[1])
    text = t(f"rule_{expr.op}", left=left, right=right, diff=p["diff"], unit=unit)
    if audience != "unit":
        text += t("rule_codes", expr=p["expr"], rule=p["rule"])
    text += t("stop")
    text += _advice(p.get("advice") or {"how": "none"}, audience)
    basis = p.get("basis")
    codes = {term["item"] for term in p["terms"]} | {r.code for r in expr.refs()}
    if basis and not (audience == "unit" and any(c in basis for c in codes)):
        text += t("rule_basis", basis=basis)  # a unit is not shown a basis that is a formula
    return text


def _side(node, value: str, terms: dict, unit: str | None) -> str:
    if isinstance(node, Num):
        return t("side_number", value=value)
    return t("side", what=_node(node, terms, unit), value=value, unit=_unit_words(unit))


def _node(node, terms: dict, unit: str | None = None) -> str:
    """A side of a rule in words: 政府拨款、工会拨款、社会募集三项之和; 发放款物的一半; a
    rate where the units differ (按慰问农民工每人 0.5 万元计)."""
    if isinstance(node, Ref):
        return plain(terms[str(node)]["label"])
    if isinstance(node, Num):
        return f"{node.value:f}"
    parts = _chain(node, "+")
    if parts and all(isinstance(x, Ref) for x in parts):
        names = [_node(x, terms) for x in parts]
        return t("side_sum", names=_and(names), n=_count(len(names)))
    if node.op == "*" and isinstance(node.left, Num):
        whole = _node(node.right, terms)
        per = _unit(node.right, terms)
        if unit and per and per != unit:
            k = f"{node.left.value:f}"
            return t("side_rate", what=whole, per=per.removeprefix("人次"), k=k, unit=unit)
        if node.left.value == Decimal("0.5"):
            return t("side_half", what=whole)
        return t("side_times", what=whole, k=f"{node.left.value:f}")
    minus = _chain(node, "-")
    if minus:
        rest = [_node(x, terms) for x in minus[1:]]
        return t("side_less", first=_node(minus[0], terms), rest=_and(rest))
    return t(f"side_op_{node.op}", a=_node(node.left, terms), b=_node(node.right, terms))


def _chain(node, op: str) -> list:
    """The operands of a left-leaning chain of one operator (a + b + c), or []."""
    if not isinstance(node, BinOp) or node.op != op:
        return []
    return (_chain(node.left, op) or [node.left]) + [node.right]


def _unit(node, terms: dict) -> str | None:
    """The unit of a side: its items' when they share one and none is multiplied (0.1 万元 a
    head times 人 is 万元: the other side's unit then)."""
    if "*" in _ops(node):
        return None
    units = {terms[str(r)]["unit"] for r in _refs(node)}
    return units.pop() if len(units) == 1 else None


def _ops(node) -> set[str]:
    if isinstance(node, BinOp):
        return {node.op} | _ops(node.left) | _ops(node.right)
    return set()


def _refs(node) -> list:
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, BinOp):
        return _refs(node.left) + _refs(node.right)
    return []


def _unit_words(unit: str | None) -> str:
    return t("unit_after", unit=unit) if unit else ""


def _count(n: int) -> str:
    return _HOW_MANY[n] if get_lang() == "zh" and n <= 10 else str(n)


def _and(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return t("list_sep").join(names[:-1]) + t("and") + names[-1]


def _advice(a: dict, audience: str) -> str:
    """What to change, as far as the rules tell it, and no further."""
    how = a["how"]
    if how == "quiet":
        return ""
    if how == "none":
        return t("adv_none")
    if how == "fix":
        text = "".join(_fix(fix, audience) for fix in a["fixes"])
        if a.get("partial"):
            text += t("adv_partial")
        elif a.get("unique"):
            text += t("adv_unique_fix" if len(a["fixes"]) == 1 else "adv_unique_pair")
        if a.get("located"):
            text += t("adv_located", cells=_and([item(x, audience, True) for x in a["located"]]))
        return text + _others(a, audience)
    if how == "located":
        cells = _and([item(x, audience, True) for x in a["located"]])
        text = t("adv_located_unique" if a.get("unique") else "adv_located", cells=cells)
        for x in a.get("deduced", []):  # what the rules make it, if only it is wrong
            text += t("adv_if_only", item=item(x, audience, True), new=x["new"])
        return text + _others(a, audience)
    if how == "ties":
        sets = [_and([item(x, audience, True) for x in tie]) for tie in a["ties"]]
        text = t("adv_ties", n=len(sets), sets=t("adv_or").join(sets))
        return text + (_why_first(a, audience) if a.get("why_first") else "")
    names = [item(x, audience, True) for x in a["located"]]  # candidates: cells of tied sets
    return t("adv_candidates", cells=t("list_sep").join(names))


def _others(a: dict, audience: str) -> str:
    """The other changes as small as the one named, and why the one named is likelier."""
    if len(a.get("ties", [])) < 2:
        return ""
    sets = [t("set_and").join(_short(x, audience) for x in tie) for tie in a["ties"][1:]]
    either = sets[0] if len(sets) == 1 else t("list_sep").join(sets[:-1]) + t("or") + sets[-1]
    return t("adv_also", sets=either) + _why_first(a, audience)


def _short(x: dict, audience: str) -> str:
    """An item named briefly: “政府拨款” for a unit, 政府拨款（05B） for a clerk."""
    if audience == "unit":
        return t("item_unit", label=plain(x["label"]))
    return t("item_clerk", label=plain(x["label"]), code=x["item"])


def _why_first(a: dict, audience: str) -> str:
    """Why the first of tied changes is likelier, or that they cannot be told apart."""
    code = a.get("why_first") or "none"
    code = code if code in ("total_cell", "weight", "warning", "none") else "slip"
    first, second = (t("set_and").join(_short(x, audience) for x in tie) for tie in a["ties"][:2])
    return t(f"tie_why_{code}", first=first, second=second)


def _fix(fix: dict, audience: str) -> str:
    """One cell's fix: 最可能是…填错：1.41 疑为 1.14（两位数字颠倒）."""
    if fix["why"] == "deduced":
        return t("adv_deduced", item=item(fix, audience, True), old=fix["old"], new=fix["new"])
    slip = t(f"slip_{fix['why']}")
    return t("adv_fix", item=item(fix, audience, True), old=fix["old"], new=fix["new"], slip=slip)


def _single_fix(fix: dict, audience: str) -> str:
    """The fix of a finding about one cell (a sign, an empty term of a sum, an outlier)."""
    if fix["why"] == "fill":
        key = "fix_fill" if audience != "unit" else "fix_fill@unit"
        return t(key, value=fix["new"], expr=fix.get("expr", ""))
    slip = t(f"slip_{fix['why']}")
    text = t("fix_value", old=fix.get("old", ""), value=fix["new"], slip=slip)
    return text + t("stop") + (t("adv_unique_fix") if fix.get("unique") else "")
