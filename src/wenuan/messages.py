"""The zh / en message catalogue; Chinese is the default language."""

import os

_lang = (
    os.environ.get("WENUAN_LANG", "zh") if os.environ.get("WENUAN_LANG") in ("zh", "en") else "zh"
)

CATALOGUE: dict[str, tuple[str, str]] = {
    # errors that stop a command
    "form_file_error": (
        "表式文件 {path} 第 {line} 行：{problem}",
        "form file {path}, line {line}: {problem}",
    ),
    "unknown_form": (
        "没有名为 {form_id} 的表式。现有：{known}",
        "no form named {form_id}. Known: {known}",
    ),
    "forms_dir_missing": ("表式目录不存在：{path}", "forms directory does not exist: {path}"),
    # problems inside a form file
    "yaml_syntax": ("YAML 语法错误：{detail}", "YAML syntax error: {detail}"),
    "yaml_duplicate_key": (
        "键 “{key}” 重复（第 {first} 行已有）",
        "duplicate key '{key}' (already on line {first})",
    ),
    "yaml_alias": (
        "不支持 YAML 锚点和别名（&、*），请把内容写全",
        "YAML anchors and aliases (&, *) are not allowed; write the content out",
    ),
    "yaml_tag": ("不支持 YAML 标签 {tag}", "YAML tag {tag} is not allowed"),
    "yaml_not_mapping": (
        "表式文件的顶层必须是键值对",
        "the top level of a form file must be a mapping",
    ),
    "yaml_too_large": (
        "表式文件过大（{size} 字节，上限 {limit}）",
        "form file too large ({size} bytes, limit {limit})",
    ),
    "unknown_key": ("未知的键 “{key}”", "unknown key '{key}'"),
    "missing_key": ("缺少必填的键 “{key}”", "required key '{key}' is missing"),
    "bad_value": ("“{key}” 的值不对：{detail}", "bad value for '{key}': {detail}"),
    "duplicate_code": ("代码 {code} 重复（表 {table}）", "duplicate code {code} (table {table})"),
    "duplicate_id": ("编号 {id} 重复", "duplicate id {id}"),
    "unknown_unit": (
        "未知的计量单位 “{unit}”。可用：{known}",
        "unknown unit '{unit}'. Known: {known}",
    ),
    "unknown_ref": (
        "规则 {rule} 引用了不存在的代码 {ref}",
        "rule {rule} names an unknown code {ref}",
    ),
    "bad_expr": (
        "规则 {rule} 的表达式无法理解：{detail}",
        "rule {rule}: cannot read the expression: {detail}",
    ),
    "mixed_units": (
        "规则 {rule} 把不同单位的数相加或比较：{refs}",
        "rule {rule} adds or compares different units: {refs}",
    ),
    "identity_cycle": ("恒等式循环：{cycle}", "a cycle of identities: {cycle}"),
    "bad_date": ("日期 “{text}” 无法解析：{detail}", "date '{text}' does not resolve: {detail}"),
    "unknown_table": (
        "截止时间 {deadline} 引用了不存在的表 {table}",
        "deadline {deadline} names an unknown table {table}",
    ),
    "file_id_mismatch": (
        "文件名 {stem} 与 id {id} 不一致",
        "file name {stem} does not match id {id}",
    ),
    # CLI words
    "col_id": ("编号", "id"),
    "col_city": ("城市", "city"),
    "col_title": ("标题", "title"),
    "col_tables": ("统计表", "tables"),
    "col_deadline": ("下一截止", "next deadline"),
    "col_source": ("来源", "source"),
    "builtin": ("内置", "built-in"),
    "overrides": ("{path}（覆盖内置）", "{path} (overrides built-in)"),
    "past": ("已过", "past"),
    "workday": ("工作日", "working day"),
    "restday": ("休息日", "rest day"),
    "workday_guess": ("按周一至周五估算", "Mon–Fri estimate"),
    "reconstructed_mark": ("〔重构〕", "[reconstructed]"),
    "basis": ("依据", "basis"),
    "severity_error": ("错误", "error"),
    "severity_warning": ("警告", "warning"),
    "doc_no": ("文号", "document"),
    "union": ("发文单位", "issued by"),
    "period": ("活动时间", "period"),
    "units": ("报送单位", "reporting units"),
    "deadlines": ("截止时间", "deadlines"),
    "rules": ("规则", "rules"),
    "cross_table_rules": ("跨表规则", "rules across tables"),
    "to": ("报送", "to"),
    "weekdays": ("一二三四五六日", "Mon,Tue,Wed,Thu,Fri,Sat,Sun"),
    "weekday_fmt": ("周{day}", "{day}"),
    "colon": ("：", ": "),
    "paren": ("（{x}）", " ({x})"),
}


def set_lang(lang: str) -> None:
    """Choose the language of every message from now on: 'zh' or 'en'."""
    global _lang
    if lang not in ("zh", "en"):
        raise ValueError(lang)
    _lang = lang


def get_lang() -> str:
    """The language in use."""
    return _lang


def t(msg: str, /, **params) -> str:
    """The message `msg` in the current language, with its fields filled."""
    zh, en = CATALOGUE[msg]
    return (zh if _lang == "zh" else en).format(**params)


def weekday(d) -> str:
    """The weekday of a date, as 周一 or Mon."""
    names = t("weekdays")
    day = names[d.weekday()] if _lang == "zh" else names.split(",")[d.weekday()]
    return t("weekday_fmt", day=day)
