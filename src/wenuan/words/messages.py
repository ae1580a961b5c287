"""The zh / en message catalogue; Chinese is the default language."""

import os
import string

_lang = (
    os.environ.get("WENUAN_LANG", "zh") if os.environ.get("WENUAN_LANG") in ("zh", "en") else "zh"
)

CATALOGUE: dict[str, tuple[str, str]] = {
    # the help of the command line (`wenuan -h`, `wenuan validate -h`): one language at a time
    "help_wenuan": (
        "送温暖统计表：表式、检查、汇总、催报、报告。",
        "Statistics returns of 送温暖 campaigns: forms, checks, totals, chasing, reports.",
    ),
    "help_epilog": (
        "--lang、--format、--forms 可写在命令之前或之后。wenuan 命令 -h 显示该命令的帮助；"
        "--lang en 显示英文。",
        "--lang, --format and --forms may come before or after the command. "
        "wenuan COMMAND -h shows a command's help; --lang zh shows it in Chinese.",
    ),
    "help_version": ("显示版本。", "Show the version."),
    "help_forms": (
        "列出可用的表式：编号、城市、表名、下一个截止日期。",
        "List the forms: id, city, title, tables, next deadline.",
    ),
    "help_show": (
        "显示一个表式：项目、规则及依据、截止时间。",
        "Show a form: its items, rules with their basis, and deadlines.",
    ),
    "help_template": (
        "写出空白的填报工作簿，发给各单位填写。",
        "Write a blank fillable workbook for units to fill in.",
    ),
    "help_validate": (
        "检查报表，指出错在哪一格、怎么改。",
        "Check returns: what is wrong, in which cell, and the likely fix.",
    ),
    "help_check_list": (
        "检查实名制发放明细：身份证号、银行卡号、重复发放、通知规定。",
        "Check real-name payment lists: ID numbers, bank cards, double payments, the notice's rules.",
    ),
    "help_consolidate": (
        "把各单位报表汇总为一份合计（本身也是合格的报表）。",
        "Add returns into a total that is itself a valid return, with its sources.",
    ),
    "help_status": (
        "催报清单：谁未报、谁逾期、谁有错；可写更正通知。",
        "The chasing list: who has not reported, who is late, who is wrong; writes notices.",
    ),
    "help_render": (
        "写出填好数据的统计表（xlsx）或送温暖活动报告（docx、pdf）。",
        "Write the filled official table (xlsx) or the campaign report (docx, pdf).",
    ),
    "help_serve": (
        "打开本机网页：收表、检查、催报、汇总、报告，不用命令行。",
        "Open a local web page to receive, check, chase, total and report without a terminal.",
    ),
    # the placeholders of options and arguments in help and usage (metavar)
    "mv_paths": ("文件或文件夹…", "FILES|DIRS…"),
    "mv_xlsx": ("文件.xlsx", "FILE.xlsx"),
    "mv_docx": ("文件.docx", "FILE.docx"),
    "mv_dir": ("文件夹", "DIR"),
    "mv_file": ("文件", "FILE"),
    "mv_union": ("单位", "UNION"),
    "mv_register": ("建档名册", "REGISTER"),
    "mv_return": ("报表", "RETURN"),
    "mv_form": ("表式", "FORM"),
    "mv_list": ("明细", "LIST"),
    "mv_date": ("日期", "DATE"),
    "mv_unit": ("单位", "UNIT"),
    "mv_person": ("姓名", "NAME"),
    "mv_name": ("名称", "NAME"),
    "mv_host": ("地址", "ADDRESS"),
    "mv_port": ("端口", "PORT"),
    "mv_url": ("网址", "URL"),
    "help_format": ("输出格式 text 或 json。", "Output format, text or json."),
    "help_lang": ("消息语言 zh（中文）或 en（英文）。", "Message language, zh or en."),
    "help_forms_dir": (
        "另加的表式文件夹（可多次）。",
        "An extra folder of form files (repeatable).",
    ),
    "help_form_id": (
        "表式编号或城市和年份，如 pingdingshan-2010、平顶山2010。",
        "Form id, or its city and year: pingdingshan-2010, 平顶山2010.",
    ),
    "help_form_recognized": (
        "指定表式（不给则自动识别）。",
        "The form (else recognized from each file).",
    ),
    "help_form_needed": ("表式编号或城市和年份。", "Form id, or its city and year."),
    "help_template_out": ("写出的 xlsx 文件。", "The xlsx file to write."),
    "help_force": ("覆盖已有文件。", "Overwrite an existing file."),
    "help_returns_in": ("报表文件或文件夹。", "Return files or folders."),
    "help_roster": (
        "报送单位名单（txt 每行一个，或 xlsx 第一列）。",
        "Roster of units (txt, one a line, or an xlsx's first column).",
    ),
    "help_calendar": (
        "补充的节假日（每行 2027-02-06 班 或 休）。",
        "Extra days off and working days (a line each: 2027-02-06 班 or 休).",
    ),
    "help_received": ("收到日期，如 2022-01-26。", "Date received, e.g. 2022-01-26."),
    "help_strict": ("警告也算不通过。", "Warnings fail too."),
    "help_annotate": (
        "写出标注了错误的副本（一份报表，xlsx 或 xlsm）。",
        "Write a copy of one return with the wrong cells marked (xlsx or xlsm).",
    ),
    "help_explain": (
        "列出每项数值取自哪个单元格、怎样认出。",
        "Show the cell each value was read from and how its row was recognized.",
    ),
    "help_previous_returns": (
        "上年的报表文件夹，对比数值。",
        "Last year's returns folder, to compare figures.",
    ),
    "help_lists_in": ("发放明细文件或文件夹。", "Payment list files or folders."),
    "help_list": (
        "表式中的哪份明细（默认第一份）。",
        "Which list of the form (default: the first).",
    ),
    "help_register": (
        "建档困难职工名册：核对依档帮扶、全覆盖。",
        "The register of 建档 families: checks 依档帮扶 and 全覆盖.",
    ),
    "help_return": (
        "本单位的报表或报表文件夹：人数、金额与报表核对。",
        "The unit's return or a returns folder: counts and sums checked against it.",
    ),
    "help_annotate_list": (
        "写出标注了问题的明细副本（一份明细）。",
        "Write a copy of one list with its findings marked.",
    ),
    "help_total_out": (
        "写出的汇总表（xlsx）；不给则只显示结果。",
        "The total workbook to write (xlsx); without it, only shown.",
    ),
    "help_allow_errors": (
        "有错误的报表也计入汇总，并列出。",
        "Include returns with errors, and list them.",
    ),
    "help_unit": (
        "汇总表的填报单位（默认发文单位）。",
        "The total's 填报单位 (default: the union that issued the notice).",
    ),
    "help_person": ("汇总表的填报人。", "The total's 填报人."),
    "help_as_of": ("按哪一天统计（默认今天）。", "The day of the list (default: today)."),
    "help_notices": (
        "为未报、逾期、有错的单位写更正通知的文件夹。",
        "Folder to write a notice to each unit missing, late or wrong.",
    ),
    "help_render_out": (
        "xlsx、docx 或 pdf（不给则写出统计表，如 鄂州2022送温暖统计表.xlsx）。",
        "xlsx, docx or pdf (without it, the official table named from the form).",
    ),
    "help_data": (
        "一份报表或汇总表（不给则为空白表）。",
        "A return or a total (without it, the blank table).",
    ),
    "help_template_docx": ("自己的 Word 模板（.docx）。", "Your own Word template (.docx)."),
    "help_returns": (
        "收到的报表文件夹：说明（--cover）中列出未报、逾期单位。",
        "The returns folder: the cover note (--cover) names units missing or late.",
    ),
    "help_to": (
        "主送单位（如 河南省总工会）。",
        "The addressee (e.g. the provincial federation of trade unions).",
    ),
    "help_date_signed": (
        "成文日期（默认今天；活动已过则为报送截止日）。",
        "The date signed (default: today, or the day returns were due once the campaign is past).",
    ),
    "help_cover": (
        "另写给领导的说明：谁未报送、哪些数待核实。",
        "A cover note to the leadership: who has not reported, which figures to confirm.",
    ),
    "help_notes": (
        "主要做法、成效、问题、打算的文字（Markdown 或 .docx，按标题分部分）。",
        "The parts people write: methods, results, problems, plans (Markdown or .docx, a heading each).",
    ),
    "help_previous_total": (
        "上年的汇总表或报表：报告与上年对比。",
        "Last year's total or return, for the report's comparisons.",
    ),
    "help_render_allow_errors": (
        "数据有错也生成，首页注明未经核实。",
        "Render despite errors; the first page says the figures are not verified.",
    ),
    "help_dir": (
        "活动文件夹（没有则新建），数据存于其中的 wenuan-data。",
        "The campaign folder (made if missing); its data is kept in wenuan-data.",
    ),
    "help_host": (
        "监听地址（默认只限本机）。",
        "Address to listen on (default: this computer only).",
    ),
    "help_port": ("端口。", "Port."),
    "help_allow_host": (
        "另外接受的网页地址名称（可重复；反向代理的公开地址写成 名称:端口）。",
        "Another name the page answers to (repeatable; a proxy's public NAME:PORT).",
    ),
    "help_links": (
        "为名单上每个单位生成专属填报链接（只显示一次）。",
        "Give each roster unit its own link to the page (shown once).",
    ),
    "help_base": (
        "各单位打开的网址开头（默认 http://本机名:8765）。",
        "What the links start with (default: http://THIS-COMPUTER:8765).",
    ),
    "help_renew": (
        "重发此单位的链接，旧链接随即失效（可重复）。",
        "Give this unit a new link; the old one stops working (repeatable).",
    ),
    "help_no_browser": ("不自动打开浏览器。", "Do not open a browser."),
    # errors that stop a command
    "form_file_error": (
        "表式文件 {path} 第 {line} 行：{problem}",
        "form file {path}, line {line}: {problem}",
    ),
    "unknown_form": (
        "没有名为 {form_id} 的表式。现有：{known}",
        "no form named {form_id}. Known: {known}",
    ),
    "unknown_form_close": (
        "没有名为 {form_id} 的表式。你是不是要用 {close}？现有：{known}",
        "no form named {form_id}. Did you mean {close}? Known: {known}",
    ),
    "forms_dir_missing": ("表式目录不存在：{path}", "forms directory does not exist: {path}"),
    "exists": ("{path} 已存在；要覆盖请加 --force", "{path} exists; add --force to overwrite it"),
    "annotate_xlsx_only": (
        "只能为 xlsx/xlsm 文件做标注：{path}",
        "only xlsx/xlsm files can be annotated: {path}",
    ),
    "output_suffix": (
        "输出文件 {path} 须以 {suffixes} 结尾，例如 {example}",
        "the output {path} must end in {suffixes}, e.g. {example}",
    ),
    "cannot_write": ("无法写入 {path}：{why}", "cannot write {path}: {why}"),
    "why_locked": (
        "文件正被其他程序打开或没有权限（请在 Excel 或 WPS 中关闭它，或换一个文件夹）",
        "the file is open in another program or you may not write there (close it in Excel or WPS, or choose another folder)",
    ),
    "why_no_folder": ("文件夹 {folder} 不存在", "the folder {folder} does not exist"),
    "why_not_folder": (
        "{file} 是文件，不是文件夹",
        "{file} is a file, not a folder",
    ),
    "why_full": ("磁盘已满", "the disk is full"),
    "why_read_only": ("磁盘或文件夹是只读的", "the disk or folder is read-only"),
    "why_too_long": ("文件名或路径过长", "the file name or path is too long"),
    "why_is_dir": ("这是一个文件夹", "it is a folder"),
    "annotate_one": (
        "--annotate 只能用于一个文件，这次有 {n} 个；请逐个标注",
        "--annotate takes exactly one file, not {n}; annotate them one at a time",
    ),
    "annotate_unreadable": (
        "{path} 无法读取，不能做标注",
        "{path} cannot be read, so it cannot be annotated",
    ),
    "notice_skipped": (
        "已有 {path}，跳过（要重写请加 --force）",
        "{path} exists; skipped (add --force to rewrite it)",
    ),
    "s_no_returns": (
        "没有找到报表（{path}），按全部未报送列出",
        "no returns found ({path}); every unit is listed as missing",
    ),
    "no_inputs": ("没有找到要检查的文件：{path}", "no files to check: {path}"),
    "bad_received": (
        "无法识别的日期：{text}（请写成 2022-01-26）",
        "cannot read the date {text} (write it as 2022-01-26)",
    ),
    "bad_roster": ("名单文件 {path} 无法读取：{why}", "the roster {path} cannot be read: {why}"),
    "not_utf8": (
        "不是 UTF-8 文本（请在记事本中“另存为”，编码选 UTF-8）",
        "not UTF-8 text (save it again as UTF-8)",
    ),
    "bad_calendar": ("节假日文件有误：{detail}", "bad calendar file: {detail}"),
    "render_unreadable": (
        "无法从 {path} 取得数据：{why}",
        "cannot take figures from {path}: {why}",
    ),
    "render_not_verified": (
        "{path} 有 {errors} 个错误，未生成报告：数字核对无误后再生成，或加 --allow-errors 生成注明“数据未经核实”的报告",
        "{path} has {errors} error(s); no report written: correct them, or add --allow-errors for a report marked as not verified",
    ),
    "render_allowed_errors": (
        "注意：{path} 有 {errors} 个错误，报告首页已注明数据未经核实",
        "note: {path} has {errors} error(s); the report says on its first page that the figures are not verified",
    ),
    "unverified_note": (
        "【注意：本报告所据数据未经核实。{path} 有 {errors} 个错误：{first}。请核实更正后重新生成。】",
        "[Note: the figures of this report are not verified. {path} has {errors} error(s): {first}. Correct them and render again.]",
    ),
    "notes_unreadable": ("无法读取材料文件 {path}：{why}", "cannot read the notes {path}: {why}"),
    "notes_heading": (
        "材料文件 {path} 第 {line} 行：“{text}” 不是报告的一部分；标题请用：{known}",
        "notes {path}, line {line}: '{text}' is not a part of the report; headings: {known}",
    ),
    "previous_other_form": (
        "上年数据 {path} 不是 {form} 的表式，无法对比：{why}",
        "last year's figures {path} cannot be compared with {form}: {why}",
    ),
    "render_suffix": (
        "输出文件须为 .xlsx、.docx 或 .pdf：{path}",
        "the output must be .xlsx, .docx or .pdf: {path}",
    ),
    "exists_default": (
        "{path} 已存在；要覆盖请加 --force，或用 -o 另取文件名",
        "{path} exists; add --force to overwrite it, or -o to write another file",
    ),
    "total_not_written": (
        "未写出汇总表（没有给 -o）；要写出，加 -o 合计.xlsx",
        "no total was written (no -o given); add -o total.xlsx to write it",
    ),
    "template_unreadable": (
        "模板 {path} 无法打开（{why}），请用 Word 或 WPS 另存为 .docx",
        "template {path} cannot be opened ({why}); save it as .docx in Word or WPS",
    ),
    "template_error": ("模板 {path} {where}有误：{why}", "template {path} {where}: {why}"),
    "at_line": ("第 {line} 行", "line {line}"),
    "template_time": (
        "运行超过 {seconds} 秒，已停止（是否有很大的循环？）",
        "ran for more than {seconds} s and was stopped (a loop too large?)",
    ),
    "template_memory": (
        "占用内存超过 {mib} MiB，已停止",
        "needed more than {mib} MiB of memory and was stopped",
    ),
    "template_killed": (
        "生成报告超过 {seconds} 秒或无法完成，已停止",
        "making the report took more than {seconds} s or could not finish, and was stopped",
    ),
    "template_recursion": (
        "宏调用自身太多层（递归过深）",
        "a macro calls itself too deeply (recursion)",
    ),
    "template_too_big": (
        "数或重复次数太大（{what}）",
        "a number, repetition or range far too big ({what})",
    ),
    "template_include": (
        "不能引用其他模板（{name}）",
        "cannot include, import or extend another template ({name})",
    ),
    "template_unsafe": ("不允许的操作：{detail}", "not allowed: {detail}"),
    "report_failed": ("报告语句无法生成：{why}", "a report sentence cannot be made: {why}"),
    "report_include": (
        "报告语句不能引用其他模板（include、import、extends）",
        "a report sentence cannot include, import or extend another template",
    ),
    "no_libreoffice": (
        "生成 PDF 需要 LibreOffice，本机未安装；可先生成 .docx 再用 Word 或 WPS 另存为 PDF",
        "making a PDF needs LibreOffice, which is not installed; make the .docx and save it as PDF in Word or WPS",
    ),
    "office_timeout": (
        "{seconds} 秒内未完成，已停止",
        "not done within {seconds} s, stopped",
    ),
    "pdf_failed": ("LibreOffice 未能生成 PDF：{why}", "LibreOffice could not make the PDF: {why}"),
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
    "yaml_bad_key": (
        "键必须是一个词，不能是列表或键值对",
        "a key must be a plain word, not a list or a mapping",
    ),
    "yaml_not_mapping": (
        "表式文件的顶层必须是键值对",
        "the top level of a form file must be a mapping",
    ),
    "yaml_too_deep": (
        "嵌套过深（超过 {limit} 层）",
        "nested too deep (more than {limit} levels)",
    ),
    "expr_too_deep": ("括号嵌套过深（超过 {limit} 层）", "brackets nested too deep (over {limit})"),
    "expr_too_long": (
        "表达式过长（超过 {limit} 个符号）",
        "expression too long (over {limit} symbols)",
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
    "list_kind_twice": (
        "发放明细中 kind: {kind} 的列出现了两次",
        "the payment list has two columns of kind {kind}",
    ),
    "list_needs_column": (
        "发放明细 {list} 须有 kind: {kind} 的列",
        "the payment list {list} needs a column of kind {kind}",
    ),
    "no_lists": (
        "表式 {form} 没有定义发放明细（lists:）",
        "the form {form} defines no payment list (lists:)",
    ),
    "unknown_list": (
        "没有名为 {list} 的发放明细。现有：{known}",
        "no payment list named {list}. Known: {known}",
    ),
    "l_no_list": (
        "没有找到发放明细：表头须有 {columns} 等列",
        "no payment list found: its header needs columns such as {columns}",
    ),
    "l_no_column": (
        "发放明细缺少“{column}”列（表头写作 {words} 之一）",
        "the list has no column “{column}” (headed one of {words})",
    ),
    "l_missing": ("缺少{column}", "{column} is empty"),
    "l_id_lost": (
        "公民身份号码存成了数字（{masked}），后几位已丢失：请把该列设为“文本”后重新录入",
        "the ID number was stored as a number ({masked}) and its last digits are lost: "
        "format the column as text and type it again",
    ),
    "l_id_bad": ("公民身份号码 {masked} {why}", "ID number {masked}: {why}"),
    "l_id_chars": ("含有数字和末位 X 以外的字符", "has characters other than digits and a final X"),
    "l_id_length": (
        "位数不对（应为 18 位，或 15 位旧号码）",
        "has the wrong length (18, or 15 for an old number)",
    ),
    "l_id_province": ("前两位不是省级行政区划代码", "does not begin with a province code"),
    "l_id_birth": ("中的出生日期不存在", "holds a birth date that does not exist"),
    "l_id_checksum": (
        "校验码不对（末位与前 17 位不符，可能录错了一位）",
        "fails its check digit (one digit is likely mistyped)",
    ),
    "l_id_old": (
        "公民身份号码 {masked} 是 15 位旧号码，已按 18 位核对",
        "ID number {masked} is an old 15-digit number, checked as 18 digits",
    ),
    "l_card_lost": (
        "银行卡号存成了数字（{masked}），后几位已丢失：请把该列设为“文本”后重新录入",
        "the card number was stored as a number ({masked}) and its last digits are lost: "
        "format the column as text and type it again",
    ),
    "l_card_bad": ("银行卡号 {masked} {why}", "card number {masked}: {why}"),
    "l_card_chars": ("含有数字以外的字符", "has characters other than digits"),
    "l_card_length": ("位数不对（银行卡为 16 至 19 位）", "has the wrong length (16 to 19 digits)"),
    "l_card_luhn": (
        "校验位不对（Luhn），可能录错了一位",
        "fails its Luhn check digit (one digit is likely mistyped)",
    ),
    "l_dup_id": (
        "公民身份号码 {masked} 与 {other}（{other_name}）重复：同一人发放了两次",
        "ID number {masked} is also at {other} ({other_name}): one person paid twice",
    ),
    "l_dup_card": (
        "银行卡号 {masked} 也是 {other}（{other_name}）的卡：一张卡发给了两个人",
        "card {masked} is also the card at {other} ({other_name}): one card for two people",
    ),
    "l_not_amount": ("金额“{text}”不是数字", "the amount “{text}” is not a number"),
    "l_not_date": ("发放日期“{text}”不是日期", "the payment date “{text}” is not a date"),
    "l_rule_amount": (
        "发放 {amount} 元，通知规定每人 {expected} 元（{basis}）",
        "paid {amount} 元; the notice sets {expected} 元 each ({basis})",
    ),
    "l_rule_age": (
        "截至 {on} 为 {age} 周岁，不满 {min_age} 周岁（{basis}）",
        "is {age} on {on}, under {min_age} ({basis})",
    ),
    "l_rule_card": (
        "未发到银行卡（{how}）（{basis}）",
        "not paid to a bank card ({how}) ({basis})",
    ),
    "l_no_card": ("没有银行卡号", "no card number"),
    "l_rule_date": (
        "发放日期 {paid} 不在 {start} 至 {end} 之间（{basis}）",
        "paid on {paid}, outside {start} to {end} ({basis})",
    ),
    "no_register_rule": (
        "发放明细 {list} 没有依档帮扶或全覆盖的规定（register_check:），不能用 --register 核对",
        "the payment list {list} has no register rule (register_check:) to check with --register",
    ),
    "l_not_registered": (
        "公民身份号码 {masked} 不在建档名册 {register} 中（{basis}）",
        "ID number {masked} is not in the register {register} ({basis})",
    ),
    "l_not_paid": (
        "公民身份号码 {masked} 已建档，本批发放明细中没有此人（{basis}）",
        "ID number {masked} is registered but paid by no list of the batch ({basis})",
    ),
    "l_register_rows": (
        "建档名册 {n} 人，{missing} 人未发放",
        "register of {n:row}, {missing} unpaid",
    ),
    "reconcile_table": (
        "reconcile 引用了不存在的表 {table}",
        "reconcile names an unknown table {table}",
    ),
    "reconcile_unit": (
        "reconcile 的 {key} 不能是 {ref}（单位 {unit}）：count 须为计数，amount 须为元或万元",
        "reconcile {key} cannot be {ref} (in {unit}): count needs a count, amount 元 or 万元",
    ),
    "no_reconcile_rule": (
        "发放明细 {list} 没有与报表核对的规定（reconcile:），不能用 --return 核对",
        "the payment list {list} names no return items (reconcile:) to check with --return",
    ),
    "l_recon_count": (
        "明细共 {n} {unit}（{where}），报表 {file} 中{item}填 {m} {unit}（{basis}）",
        "the list has {n} {unit} ({where}); in the return {file}, {item} says {m} {unit} ({basis})",
    ),
    "l_recon_amount": (
        "明细金额合计 {sum} 元，即 {conv} {unit}（{where}），报表 {file} 中{item}填 {m} {unit}，"
        "相差 {diff} {unit}（{basis}）",
        "the list's amounts total {sum} 元, {conv} {unit} ({where}); in the return {file}, {item} "
        "says {m} {unit}, {diff} {unit} apart ({basis})",
    ),
    "l_recon_less": (
        "明细金额合计 {sum} 元，即 {conv} {unit}（{where}），少于报表 {file} 中{item}的 {m} {unit}，"
        "相差 {diff} {unit}：“{label}”还计入明细以外的款物（实物、其他对象），请核对差额（{basis}）",
        "the list's amounts total {sum} 元, {conv} {unit} ({where}), less than {item} in the return "
        "{file}, {m} {unit}, {diff} {unit} apart: “{label}” also counts what the list does not "
        "hold (goods, other payees); check the difference ({basis})",
    ),
    "l_recon_no_value": (
        "报表 {file} 中没有{item}的数值，未能核对",
        "the return {file} has no value for {item}: not reconciled",
    ),
    "l_recon_no_return": (
        "{folder} 中没有填报单位为 {unit} 的报表，未能核对",
        "no return of {unit} in {folder}: not reconciled",
    ),
    "l_recon_no_unit": (
        "明细没有写填报单位，无法在 {folder} 中找到它的报表，未能核对",
        "the list names no 填报单位, so its return in {folder} cannot be found: not reconciled",
    ),
    "l_recon_unreadable": (
        "报表 {file} 无法读取（{why}），未能核对",
        "the return {file} cannot be read ({why}): not reconciled",
    ),
    "l_rows": ("{n} 人", "{n:row}"),
    "l_total": (
        "{title}：{files} 个文件共 {rows} 人，{ok} 个文件通过",
        "{title}: {rows:row} in {files:file}, {ok} passing",
    ),
    "list_rule_needs": ("发放规则 {rule} 需要 {need}", "the list rule {rule} needs {need}"),
    "unknown_unit": (
        "未知的计量单位 “{unit}”。可用：{known}",
        "unknown unit '{unit}'. Known: {known}",
    ),
    "report_syntax": ("报告语句写法有误：{detail}", "a report sentence does not parse: {detail}"),
    "report_name": (
        "报告语句中的 “{name}” 不存在（可用：{known}）",
        "a report sentence names '{name}', which does not exist (known: {known})",
    ),
    "report_item": (
        "报告语句引用了不存在的项目 {table}['{code}']",
        "a report sentence names an unknown item {table}['{code}']",
    ),
    "report_attr": (
        "报告语句中的数字没有 “.{attr}”（可用：{known}）",
        "a figure in a report sentence has no '.{attr}' (known: {known})",
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
    "deadline_text_no_day": (
        "截止时间 {deadline} 的 text 应引用通知中写明日期的那句话，这句没有日期",
        "deadline {deadline}: text must quote the notice's sentence that names the date; it names none",
    ),
    "unknown_table": (
        "截止时间 {deadline} 引用了不存在的表 {table}",
        "deadline {deadline} names an unknown table {table}",
    ),
    "file_id_mismatch": (
        "文件名 {stem} 与 id {id} 不一致",
        "file name {stem} does not match id {id}",
    ),
    # reading a return
    "read_suffix": (
        "{path} 不是 xlsx、xlsm、xls 或 ods 表格文件",
        "{path} is not an xlsx, xlsm, xls or ods workbook",
    ),
    "read_not_regular": (
        "{path} 不是普通文件（可能是管道或设备），未读取",
        "{path} is not a regular file (a pipe or a device?); not read",
    ),
    "read_missing": ("{path} 不存在", "{path} does not exist"),
    "read_encrypted": (
        "{path} 有密码保护，无法读取；请去掉密码后再发送",
        "{path} is password-protected; remove the password and send it again",
    ),
    "read_corrupt": (
        "{path} 已损坏或不是表格文件，无法读取",
        "{path} is damaged or not a workbook",
    ),
    "read_bad_content": (
        "{path} 中有无法读取的内容（文件损坏，或单元格里有超出范围的值，例如日期），请在 Excel 或 WPS 中检查后另存再发送",
        "{path} has content that cannot be read (a damaged part, or a value out of range such as a date); check it in Excel or WPS, save it again and resend",
    ),
    "read_too_many_rows": (
        "{path} 的工作表行数过多，不像统计表",
        "{path} has far too many rows for a return",
    ),
    "l_too_many_rows": (
        "{path} 的工作表超过 {rows} 行，超出一份发放明细的上限；请分成几个文件",
        "{path} has a sheet of more than {rows} rows, more than a payment list may hold; split it into several files",
    ),
    "l_too_large": (
        "{path} 过大或解压后过大，超出一份发放明细的上限（约 {rows} 行）；请分成几个文件",
        "{path} is too large, or inflates too far, for a payment list (about {rows} rows at most); split it into several files",
    ),
    "read_too_far": (
        "{path} 的工作表“{sheet}”在 {cell} 还有内容，超出一张表能读取的范围（最多 {rows} 行、{columns} 列），未读取；请删去表格以外的内容后另存再发送",
        "{path}: sheet “{sheet}” has content as far as {cell}, beyond what a sheet may hold ({rows} rows, {columns} columns at most); not read. Delete what lies outside the table, save it and send it again",
    ),
    "read_died": (
        "{path} 无法读取：读取它的进程异常退出（文件可能已损坏，或大得超出了读取的限度）；请在 Excel 或 WPS 中打开检查后另存再发送",
        "{path} cannot be read: the process reading it ended abnormally (the file may be damaged, or too large to read within the limits); open it in Excel or WPS, check it, save it and send it again",
    ),
    "l_too_far": (
        "{path} 的工作表“{sheet}”在 {cell} 还有内容，超出一份发放明细的上限（最多 {rows} 行、{columns} 列）；请分成几个文件，或删去表格以外的内容",
        "{path}: sheet “{sheet}” has content as far as {cell}, more than a payment list may hold ({rows} rows, {columns} columns at most); split it into several files, or delete what lies outside the table",
    ),
    "read_too_many_sheets": (
        "{path} 的工作表过多，不像统计表",
        "{path} has far too many sheets for a return",
    ),
    "read_too_large": (
        "{path} 过大或解压后过大，不像统计表",
        "{path} is too large, or inflates too far, for a return",
    ),
    "read_needs_office": (
        "{path} 是 .doc/.wps 文件，读取需要 LibreOffice，本机未安装；请在 Word 或 WPS 中另存为 .docx 或 .xlsx",
        "{path} is a .doc/.wps file; reading it needs LibreOffice, which is not installed: save it as .docx or .xlsx in Word or WPS",
    ),
    "read_pdf_no_text": (
        "{path} 是扫描或拍照的 PDF，没有可读的文字，无法读取其中的数字；请发送报表的 Excel 或 WPS 表格文件（xlsx、xls）",
        "{path} is a scanned or photographed PDF with no text to read, so its figures cannot be read; send the return's Excel or WPS workbook (xlsx, xls)",
    ),
    "read_pdf_no_table": (
        "{path} 中没有找到表格，无法读取其中的数字；请发送报表的 Excel 或 WPS 表格文件（xlsx、xls）",
        "{path} holds no table, so no figure can be read; send the return's Excel or WPS workbook (xlsx, xls)",
    ),
    "read_pdf_too_many_pages": (
        "{path} 超过 {limit} 页，不像统计表；请发送报表的 Excel 或 WPS 表格文件（xlsx、xls）",
        "{path} has more than {limit} pages, too many for a return; send the return's Excel or WPS workbook (xlsx, xls)",
    ),
    "read_other_form": (
        "{path} 不是 {form} 的报表：看起来是 {other} 的表式（它的表一张也没有找到）",
        "{path} is not a return of {form}: it looks like {other} (none of its tables is there)",
    ),
    "read_other_form_some": (
        "{path} 不是 {form} 的报表：看起来是 {other} 的表式（没有找到《{title}》）",
        "{path} is not a return of {form}: it looks like {other} (the table “{title}” is not there)",
    ),
    "read_unknown_form": (
        "认不出 {path} 是哪个表式：没有 wenuan 模板标记，也找不到表式的标题和项目。请用 --form 指定",
        "cannot tell which form {path} is: no wenuan template mark and no form title or items found. Use --form",
    ),
    # findings
    "f_missing": ("{item}未填写", "{item} is empty"),
    "f_merged": (
        "{item}的格与另一项的格合并成了一个格（{span}），只写了一个数，读不出两项各是多少；"
        "请取消合并，每项的数填在自己的格里",
        "{item} shares one merged cell ({span}) with another figure: it shows one number, not "
        "one for each; unmerge the cells and type each figure in its own cell",
    ),
    "f_dash": (
        "{item}填的是“{raw}”，不是数字；没有的请填 0",
        "{item} holds “{raw}”, not a number; type 0 if there is none",
    ),
    "f_no_table": (
        "文件中没有找到《{title}》：这张表缺报，请补报",
        "the table “{title}” is not in the file: it is missing and must be sent",
    ),
    "f_table_twice": (
        "《{title}》在文件中出现了不止一次（{places}），按第一处读取；请删去多余的一份",
        "the table “{title}” appears more than once ({places}); the first is read: delete the other copy",
    ),
    "f_units_first": (
        "文件里有几个单位的表（“{sheet}”和{parts}），没有汇总表，也看不出哪一张是本单位的："
        "按第一张“{sheet}”读取。如本单位的数字不在这张，请只报本单位的表，或加一张名为“汇总”的表",
        "the file holds several units' tables (“{sheet}” and {parts}), with no 汇总 sheet and "
        "none marked as the sender's: the first, “{sheet}”, is read. If your own figures are on "
        "another sheet, send only your own table, or add a sheet named 汇总",
    ),
    "f_units_total": (
        "文件里有几个单位的表：按“{sheet}”表读取本单位的数字，另外 {count} 张是下级单位的（{parts}）",
        "the file holds several units' tables: “{sheet}” is read as the unit's own figures; "
        "the other {count:sheet} are its sub-units' ({parts})",
    ),
    "f_units_sender": (
        "文件里有几个单位的表：按填报单位与文件名相符的“{sheet}”读取本单位的数字，"
        "另外 {count} 张是下级单位的（{parts}）",
        "the file holds several units' tables: “{sheet}”, whose 填报单位 the file's name names, "
        "is read as the unit's own figures; the other {count:sheet} are its sub-units' ({parts})",
    ),
    "f_parts_sum": (
        "“{sheet}”表与下级单位各表（{parts}）之和不符：{items}",
        "“{sheet}” is not the sum of the sub-units' sheets ({parts}): {items}",
    ),
    "f_parts_sum@unit": (
        "贵单位“{sheet}”表与下级单位各表（{parts}）之和不符：{labels}",
        "your “{sheet}” sheet is not the sum of the sub-units' sheets ({parts}): {labels}",
    ),
    "f_near_label": (
        "把“{read}”读作{item}（相似度 {score}%）；如有误请改用表中原文",
        "read “{read}” as {item} (similarity {score}%); if that is wrong, use the form's own words",
    ),
    "f_not_number": ("{item}填的是“{raw}”，不是数字", "{item} holds '{raw}', not a number"),
    "f_not_whole": (
        "{item}是计数（{unit}），应为整数，填的是 {value}",
        "{item} is a count ({unit}) and must be whole; it holds {value}",
    ),
    "f_negative": (
        "{item}不能为负数，填的是 {value}",
        "{item} cannot be negative; it holds {value}",
    ),
    "f_negative_fix": ("；应为 {value}（{why}）。", "; it should be {value} ({why})."),
    "f_decimals": (
        "{item}金额保留两位小数：{value} 应写作 {fixed}",
        "{item}: amounts have two decimals; {value} is {fixed}",
    ),
    "f_shown_wan": (
        "{item}单元格里存的是 {stored}（元），单元格格式“{code}”把它显示为 {shown}（万元）；"
        "按显示的 {value} 万元读取",
        "{item}: the cell holds {stored} (元), shown as {shown} (万元) by its number format "
        "“{code}”; read as {value} 万元, the figure shown",
    ),
    "f_shown_many": (
        "本表 {n} 个万元单元格里存的是元，单元格格式“{code}”把它们显示为万元；均按显示的万元数读取"
        "（如{item}：存的是 {stored}，读作 {value} 万元）",
        "{n} 万元 cells of this table hold 元, shown as 万元 by their number format “{code}”;"
        " each is read as shown (e.g. {item}: holds {stored}, read as {value} 万元)",
    ),
    "f_shown_rewritten": (
        "{item}单元格里存的是 {stored}（元），格式“{code}”是以万元显示元的“0!.0000”经 LibreOffice "
        "另存后的样子，现在显示的已不是一个数；按万元读作 {value} 万元，请核实",
        "{item}: the cell holds {stored} (元) and its format “{code}” is the 0!.0000 trick "
        "(元 shown as 万元) as LibreOffice saves it, which no longer shows a plain figure; "
        "read as {value} 万元, please check",
    ),
    "f_shown_other": (
        "{item}的单位是{unit}，单元格格式“{code}”却把存的 {stored} 除以一万显示为 {shown}；"
        "按显示的 {value} 读取，请核实",
        "{item} is in {unit}, but the cell's number format “{code}” shows the {stored} it holds "
        "divided by 10,000, as {shown}; read as shown, {value}, please check",
    ),
    "f_yuan": (
        "{item}的单位是万元，填的是“{raw}”，是按元填写的；换算为 {value} 万元",
        "{item} is in 万元 but holds '{raw}' (元); that is {value} 万元",
    ),
    "f_wrong_unit": (
        "{item}的单位应为{unit}，填的是“{raw}”",
        "{item} is in {unit} but holds '{raw}'",
    ),
    "f_formula": (
        "{item}是公式但没有计算结果，请在 Excel 或 WPS 中打开并保存后再发送",
        "{item} is a formula with no calculated value; open and save the file in Excel or WPS, then send it again",
    ),
    # a rule's two sides in words (words.findings), then what to change
    "rule_=": (
        "{left}，不等于{right}，相差 {diff}{unit}",
        "{left} is not equal to {right}: {diff}{unit} apart",
    ),
    "rule_<=": ("{left}，不应大于{right}", "{left} should be at most {right}"),
    "rule_<": ("{left}，应小于{right}", "{left} should be less than {right}"),
    "rule_>=": ("{left}，不应小于{right}", "{left} should be at least {right}"),
    "rule_>": ("{left}，应大于{right}", "{left} should be more than {right}"),
    "rule_codes": ("（{expr}；规则 {rule}）", " ({expr}; rule {rule})"),
    "rule_basis": ("依据：“{basis}”。", " Basis: “{basis}”."),
    "side": ("{what} {value}{unit}", "{what} ({value}{unit})"),
    "side_number": ("{value}", "{value}"),
    "side_sum": ("{names}{n}项之和", "the sum of {names}"),
    "side_rate": ("按{what}每{per} {k} {unit}计", "{k} {unit} per {per} of {what}"),
    "side_half": ("{what}的一半", "half of {what}"),
    "side_times": ("{what}的 {k} 倍", "{k} times {what}"),
    "side_less": ("{first}减去{rest}", "{first} less {rest}"),
    "side_op_+": ("{a}加{b}", "{a} plus {b}"),
    "side_op_-": ("{a}减去{b}", "{a} less {b}"),
    "side_op_*": ("{a}乘以{b}", "{a} times {b}"),
    "unit_after": (" {unit}", " {unit}"),
    "item_clerk": ("{label}（{code}）", "{label} ({code})"),
    "item_clerk_at": ("{label}（{code}，{cell}）", "{label} ({code}, {cell})"),
    "item_unit": ("“{label}”", "“{label}”"),
    "item_unit_row": (
        "贵单位报表第 {row} 行“{label}”（{cell}）",
        "“{label}” in row {row} of your return ({cell})",
    ),
    "item_unit_at": ("贵单位报表{at}“{label}”", "“{label}” ({at} of your return)"),
    "place_row": ("第 {row} 行 {col} 列", "row {row}, column {col}"),
    "stop": ("。", "."),
    "and": ("、", " and "),
    "adv_none": (
        "无法确定是哪一格填错，请逐项核对。",
        " Which cell is wrong cannot be told; check each figure.",
    ),
    "adv_fix": (
        "最可能是{item}填错：{old} 疑为 {new}（{slip}）。",
        " Most likely {item} is wrong: {old} may be {new} ({slip}).",
    ),
    "adv_deduced": (
        "{item}填的是 {old}，按表中各项的关系应为 {new}。",
        " {item} holds {old}; the other figures and the rules make it {new}.",
    ),
    "adv_unique_fix": (
        "只改这一处，是唯一能使各项相符的改法。",
        " This is the only change of one cell that makes every figure agree.",
    ),
    "adv_unique_pair": (
        "这两处合起来，是唯一能使各项相符的改法。",
        " Together, these are the only two changes that make every figure agree.",
    ),
    "adv_partial": (
        "另有一处填错，见其他问题。",
        " Another cell is wrong too; see the other problems.",
    ),
    "adv_located": ("最可能是{cells}填错，请核对。", " Most likely {cells} is wrong; check it."),
    "adv_located_unique": (
        "最可能是{cells}填错（只改这里是唯一的最小改法），请核对。",
        " Most likely {cells} is wrong (the only smallest change); check it.",
    ),
    "adv_ties": (
        "有 {n} 种同样小的改法，无法确定是哪一种，请逐一核对：{sets}。",
        " {n} changes are equally small, so which is meant cannot be told; check each: {sets}.",
    ),
    "adv_or": ("；或", "; or "),
    "adv_if_only": (
        "若只有{item}填错，按各项规则应为 {new}。",
        " If only {item} is wrong, the rules make it {new}.",
    ),
    "adv_also": (
        "只改{sets}也同样能使各项相符；",
        " Changing {sets} instead would be as small a change; ",
    ),
    "adv_candidates": (
        "以下各项之中有填错的，请逐项核对：{cells}。",
        " One of these is wrong; check each: {cells}.",
    ),
    "slip_unit": ("按元填写，应为万元", "元 typed for 万元"),
    "slip_sign": ("正负号写反了", "the sign is wrong"),
    "slip_decimal": ("小数点位置错了", "a misplaced decimal point"),
    "slip_transposition": ("两位数字颠倒", "two digits swapped"),
    "slip_digit": ("一位数字写错", "one digit mistyped"),
    "slip_extra": ("多打了一位数字", "an extra digit"),
    "slip_dropped": ("漏打了一位数字", "a dropped digit"),
    "slip_zero": ("末尾多打了一个 0", "a 0 typed twice at its end"),
    "slip_rounding": ("金额保留两位小数", "amounts have two decimals"),
    "fix_value": ("；{old} 疑为 {value}（{slip}）", "; {old} may be {value} ({slip})"),
    "fix_fill": ("；按 {expr}，应为 {value}。", "; by {expr} it should be {value}."),
    "fix_fill@unit": (
        "；按表中其他各项，应为 {value}。",
        "; by the other figures it should be {value}.",
    ),
    "l_person": ("{person}：{text}", "{person}: {text}"),
    "text": ("{text}", "{text}"),
    "tie_why_slip": (
        "{first}像是笔误，可能性较大。",
        "{first} looks like a slip, so it is likelier.",
    ),
    "tie_why_total_cell": (
        "改{second}要改含分项的项目，它填错的可能较小，{first}可能性较大。",
        "{second} changes an item with parts, less often the wrong figure, so {first} is likelier.",
    ),
    "tie_why_weight": (
        "{first}填写有异常（负数或带单位），可能性较大。",
        "{first} was typed oddly (negative or with a unit), so it is likelier.",
    ),
    "tie_why_warning": (
        "其余改法会使另一条核实性规则不成立，{first}可能性较大。",
        "the others would break a plausibility rule, so {first} is likelier.",
    ),
    "tie_why_none": ("无法区分，请一并核对。", "they cannot be told apart; check each."),
    "list_sep": ("、", ", "),
    "or": ("或", " or "),
    "set_and": ("与", " and "),
    "f_outlier": (
        "{item}填的是 {value} {unit}，约为其他 {n} 个单位中位数的 {times} 倍{size}，请核对",
        "{item} holds {value} {unit}, about {times}× the median of the other {n} units{size}; check it",
    ),
    "f_outlier_size": ("（按与{size}的比例）", " (as a ratio to {size})"),
    "f_moved": (
        "{item}填的是 {value} {unit}，是上年 {before} 的 {times} 倍，请核对。",
        "{item} holds {value} {unit}, {times}× last year's {before}; check it.",
    ),
    "f_too_large": (
        "{item}的数值 {value} 大得不合理，请核对",
        "{item} holds {value}, far too large; check it",
    ),
    "f_bad_date": (
        "填报日期“{raw}”无法识别，按未知处理（可用 --received 指定收到日期）",
        "填报日期 '{raw}' cannot be read; taken as unknown (--received gives the date)",
    ),
    "f_bad_date@unit": (
        "填报日期“{raw}”无法识别，请写成 2022年1月26日 这样的日期",
        "填报日期 '{raw}' cannot be read; write a date such as 2022年1月26日",
    ),
    "f_no_date_received@unit": (
        "没有找到填报日期：是否逾期按收到日期 {received} 判断",
        "no 填报日期 (date filled) found: lateness is judged by the date received, {received}",
    ),
    "f_no_date_file@unit": (
        "没有找到填报日期：是否逾期按文件的日期 {received} 判断",
        "no 填报日期 (date filled) found: lateness is judged by the file's date, {received}",
    ),
    "f_late_guess@unit": (
        "（{years} 年没有官方节假日安排数据，工作日按周一至周五计算）",
        " (no official holiday data for {years}: working days counted Monday to Friday)",
    ),
    "f_no_date_received": (
        "没有找到填报日期：是否逾期按收到日期 {received}（--received）判断",
        "no 填报日期 (date filled) found: lateness is judged by the date received, {received} (--received)",
    ),
    "f_no_date_file": (
        "没有找到填报日期：是否逾期按文件的日期 {received} 判断（可用 --received 指定收到日期）",
        "no 填报日期 (date filled) found: lateness is judged by the file's date, {received} (--received gives the date received)",
    ),
    "f_no_unit": ("未填写填报单位", "填报单位 (reporting unit) is empty"),
    "f_no_person": ("未填写填报人", "填报人 (person filling in) is empty"),
    "f_no_phone": ("未填写联系电话", "联系电话 (phone) is empty"),
    "f_bad_phone": (
        "联系电话“{raw}”不像电话号码",
        "联系电话 '{raw}' does not look like a phone number",
    ),
    "f_late": (
        "逾期 {days} 天（{work} 个工作日）：截止 {deadline}，收到 {received}。通知原文：“{text}”",
        "late by {days:day} ({work:working day}): due {deadline}, received {received}. The notice: “{text}”",
    ),
    "f_late_assumed": (
        "逾期 {days} 天（{work} 个工作日）：截止 {deadline}，收到 {received}。通知未写明报送时间，截止日按此推定：{text}",
        "late by {days:day} ({work:working day}): due {deadline}, received {received}. The notice names no date; assumed: {text}",
    ),
    "f_late_guess": (
        "（{years} 年没有官方节假日安排数据，工作日按周一至周五计算；可用 --calendar 提供）",
        " (no official holiday data for {years}: working days counted Monday to Friday; --calendar supplies them)",
    ),
    # consolidation and status
    "c_unreadable": ("{path} 无法汇总：{why}", "{path} cannot be added: {why}"),
    "c_mixed": (
        "{path} 是表式 {form}，与其他报表的 {expected} 不同",
        "{path} is form {form}, the others are {expected}",
    ),
    "c_twice": (
        "单位“{unit}”报了两次：{first} 和 {second}",
        "unit '{unit}' reported twice: {first} and {second}",
    ),
    "c_errors": (
        "{path} 有 {errors} 个错误（改正后再汇总，或加 --allow-errors 照样汇总并列出）",
        "{path} has {errors:error} (fix them, or add --allow-errors to include it and list them)",
    ),
    "c_refused": ("不能汇总，未写出任何文件：", "cannot consolidate; nothing was written:"),
    "c_summary": (
        "汇总 {form}：{units} 个单位，{files} 个文件",
        "consolidated {form}: {units:unit}, {files:file}",
    ),
    "c_missing": ("未报送（{n}）：{names}", "not reported ({n}): {names}"),
    "c_with_errors": ("照样计入的有错误的报表：{names}", "returns with errors included: {names}"),
    "c_total_findings": (
        "合计按汇总表的规则核对，有 {n} 条不符：",
        "the total, checked by the rules for a total, breaks {n}:",
    ),
    "c_outliers": (
        "有 {n} 个数字与其他单位相差悬殊，已计入合计，请核对：",
        "{n} figures far from the other units' (included in the total; please check):",
    ),
    "c_total": ("合计", "total"),
    "s_head": ("{form} 报送情况（截至 {as_of}）", "{form} returns as of {as_of}"),
    "s_deadline": (
        "，截止 {deadline}，还剩 {days} 天（{work} 个工作日）",
        ", due {deadline}: {days:day} ({work:working day}) left",
    ),
    "s_deadline_past": (
        "，截止 {deadline}，已截止 {days} 天",
        ", due {deadline}: closed {days:day} ago",
    ),
    "s_missing": ("未报送", "missing"),
    "s_late_errors": ("逾期且有错误", "late, with errors"),
    "s_errors": ("有错误", "with errors"),
    "s_late": ("逾期", "late"),
    "s_ok": ("已报送", "received"),
    "s_received": ("收到 {received}", "received {received}"),
    "s_late_by": (
        "逾期 {days} 天（{work} 个工作日）",
        "late by {days:day} ({work:working day})",
    ),
    "s_not_in_roster": ("（不在名单中）", " (not on the roster)"),
    "s_counts": (
        "已报送 {ok}，有错误 {errors}，逾期 {late}，逾期且有错误 {late_errors}，未报送 {missing}",
        "received {ok}, with errors {errors}, late {late}, late with errors {late_errors}, missing {missing}",
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
    "written": ("已写出 {path}", "wrote {path}"),
    "summary_ok": ("通过", "OK"),
    "summary_counts": (
        "{errors} 个错误，{warnings} 个警告",
        "{errors:error}, {warnings:warning}",
    ),
    "summary_total": (
        "共 {files} 个文件：{ok} 个通过，{bad} 个有错误",
        "{files:file}: {ok} passed, {bad} with errors",
    ),
    "general": ("表头与文件", "header and file"),
    "suggestion": ("建议", "suggestion"),
    "workday": ("工作日", "working day"),
    "restday": ("休息日", "rest day"),
    "workday_guess": ("按周一至周五估算", "Mon–Fri estimate"),
    "reconstructed_mark": ("〔重构〕", "[reconstructed]"),
    "basis": ("依据", "basis"),
    "severity_error": ("错误", "error"),
    "severity_warning": ("警告", "warning"),
    "severity_info": ("提示", "note"),
    "scope_unit": ("（仅单位报表）", " (a unit's return only)"),
    "scope_total": ("（仅汇总表）", " (a total only)"),
    "explain_parts": (
        "本单位的数字读自“{sheet}”；下级单位的表：{parts}",
        "the unit's own figures are read from “{sheet}”; its sub-units' sheets: {parts}",
    ),
    "explain_part": ("{sheet}（{unit}）", "{sheet} ({unit})"),
    "explain_head": (
        "读取情况（每项数值取自哪个单元格、怎样认出这一行）：",
        "What was read (each value's cell, and how its row was recognized):",
    ),
    "how_code": ("按代码", "by code"),
    "how_label": ("按项目名称", "by label"),
    "how_near": (
        "按相近的名称“{read}”（相似度 {score}%）",
        "by the near label “{read}” (similarity {score}%)",
    ),
    "how_continued": (
        "接上一行（同一项目的另一个数）",
        "continues the row above (the item's other figure)",
    ),
    "how_title": ("取自表题", "from the table's title"),
    "how_total": ("取自其分项下面的“合计”行", "from the 合计 (total) row under its parts"),
    "how_not_found": ("未找到", "not found"),
    "how_format": (
        "；取显示值（格式“{code}”除以一万）",
        "; the figure shown (format “{code}”: ÷ 10,000)",
    ),
    "doc_no": ("文号", "document"),
    "union": ("发文单位", "issued by"),
    "period": ("活动时间", "period"),
    "units": ("报送单位", "reporting units"),
    "deadlines": ("截止时间", "deadlines"),
    "rules": ("规则", "rules"),
    "cross_table_rules": ("跨表规则", "rules across tables"),
    "to": ("报送", "to"),
    "list_head": ("实名制发放明细", "payment list"),
    "list_columns": ("列", "columns"),
    "col_required": ("必填", "required"),
    "col_optional": ("可空", "optional"),
    "col_words": ("也认", "also"),
    "lr_category": ("类别含“{category}”者", "category {category}: "),
    "lr_amount": ("每人 {amount} 元", "{amount} 元 each"),
    "lr_age": ("{as_of} 满 {min_age} 周岁", "{min_age} or older on {as_of}"),
    "lr_card": ("发到银行卡，不用现金、存折", "paid to a bank card, not in cash or to a passbook"),
    "lr_card_passbook": (
        "发到银行卡或存折，不用现金",
        "paid to a bank card or passbook, not in cash",
    ),
    "lr_date": ("发放日期在 {start} 至 {end} 之间", "paid between {start} and {end}"),
    "lr_register": ("建档名册（--register）", "register (--register)"),
    "lr_payees": ("依档帮扶：每位领款人都在名册中", "every payee is in the register"),
    "lr_coverage": ("全覆盖：名册中每人都有发放", "every registered person is paid"),
    "lr_reconcile": ("核对报表（--return）", "against the return (--return)"),
    "lr_count": ("明细人数 = {ref}（{label}）{unit}", "the list's rows = {ref} ({label}) {unit}"),
    "lr_count_part": (
        "明细人数 ≤ {ref}（{label}）{unit}（超出为错误，少于为警告）",
        "the list's rows <= {ref} ({label}) {unit} (above: an error; below: a warning)",
    ),
    "lr_sum": (
        "明细金额合计 = {ref}（{label}）{unit}，相差不超过 {tol}",
        "the list's sum = {ref} ({label}) {unit}, within {tol}",
    ),
    "lr_sum_part": (
        "明细金额合计 ≤ {ref}（{label}）{unit}（超出为错误，少于为警告）",
        "the list's sum <= {ref} ({label}) {unit} (above: an error; below: a warning)",
    ),
    "weekdays": ("一二三四五六日", "Mon,Tue,Wed,Thu,Fri,Sat,Sun"),
    "weekday_fmt": ("周{day}", "{day}"),
    # wenuan serve
    "w_serving": (
        "wenuan 网页已启动：{url}\n数据保存在 {folder}。按 Ctrl-C 停止。",
        "wenuan is serving {url}\nIts data is kept in {folder}. Ctrl-C stops it.",
    ),
    "w_token_note": (
        "网页对其他电脑开放（{host}）：只有带口令的链接能打开，请只发给同事：",
        "the page is open to other computers ({host}): only the link with the token opens it; give it to colleagues only:",
    ),
    "w_port_busy": (
        "端口 {port} 已被占用（也许 wenuan serve 已在运行）；请用 --port 换一个",
        "port {port} is in use (is wenuan serve already running?); choose another with --port",
    ),
    "w_upload_refused": (
        "本次上传未接收：一次最多 {most} 个文件，请分批上传，或直接把文件拖到页面上",
        "this upload was not taken: at most {most} files at a time; upload in batches, or drop the files on the page",
    ),
    "w_too_large": (
        "上传的内容超过 {most} MiB，未接收",
        "the upload is over {most} MiB and was not taken",
    ),
    "w_bad_token": (
        "需要口令：请使用启动 wenuan serve 时显示的完整链接（含 ?token=…）",
        "a token is needed: use the whole link wenuan serve printed when it started (with ?token=…)",
    ),
    "w_cross_site": (
        "拒绝来自其他网站的提交",
        "a form posted from another site is refused",
    ),
    "w_no_origin": (
        "拒绝来源不明的提交：浏览器没有说明它来自哪个网页（请求中既无 Origin 也无 Referer）",
        "a post that does not say which page it comes from is refused (neither Origin nor Referer)",
    ),
    "w_bad_host": (
        "拒绝：此网页只用启动 wenuan serve 时显示的地址打开；用其他名称打开的请求一律拒绝，以防"
        "其他网站冒用。需要用别的名称时，启动时加 --allow-host 名称",
        "refused: this page opens only at the address wenuan serve printed; a request under any"
        " other name is refused, so that no other site can pose as it. To use another name, start"
        " it with --allow-host NAME",
    ),
    "w_not_found": ("没有这个页面或文件", "there is no such page or file"),
    "w_method": ("这个地址不接受这种请求", "this address does not take such a request"),
    "w_bad_request": (
        "请求的内容不完整或格式不对，未处理（HTTP {code}）",
        "the request is incomplete or malformed and was not handled (HTTP {code})",
    ),
    "w_internal": (
        "出现了内部错误，已记录在运行 wenuan serve 的窗口中；请把发生的时间和操作告诉维护者",
        "an internal error happened; it is logged in the window running wenuan serve: please tell the maintainers when and what you did",
    ),
    "w_no_form": (
        "还没有选择表式：请在页面上选择，或先上传一份报表让 wenuan 识别",
        "no form chosen yet: choose one on the page, or upload a return for wenuan to recognize",
    ),
    # wenuan links
    "links_no_form": (
        "还没有选择表式：请加 --form 表式，或先在 wenuan serve 的网页上选择",
        "no form chosen yet: add --form FORM, or choose one on the wenuan serve page",
    ),
    "links_unknown_unit": (
        "名单中没有单位“{unit}”，无法重发它的链接",
        "the roster has no unit “{unit}”: its link cannot be renewed",
    ),
    "links_given": (
        "{unit}：已于 {when} 发放（链接只在发放时显示一次；要重发请用 --renew {unit}，旧链接随即失效）",
        "{unit}: given on {when} (a link is shown once, when it is made; to give it again use"
        " --renew {unit}, and the old one stops working)",
    ),
    # a unit's own page (wenuan serve, /u/<token>)
    "u_names_other": (
        "这份报表的填报单位写的是“{named}”，但它是通过{unit}的专属链接上传的，已记为{unit}的报送；"
        "如果传错了文件，请重新上传本单位的报表",
        "this return names “{named}” as its unit, but it came through {unit}'s own link and is"
        " recorded as {unit}'s; if it is the wrong file, upload your own return",
    ),
    "u_days_left": ("还有 {days} 天", "{days} days left"),
    "u_due_today": ("今天截止", "due today"),
    "u_days_past": ("已过 {days} 天", "{days} days past"),
    "u_bad_figures": (
        "填写的内容无法处理：请刷新页面后重新填写",
        "what was typed cannot be handled: reload the page and type it again",
    ),
    "u_bad_explanation": (
        "核实说明未保存：请写明理由（最多 500 字）",
        "the explanation was not kept: write why (500 characters at most)",
    ),
    "u_too_many": (
        "一分钟内提交太多次了，请稍等一分钟再试",
        "too many requests in a minute: wait a minute and try again",
    ),
    "u_bad_base": (
        "链接没有生成：网址开头应像 http://192.168.1.20:8765 这样",
        "no links were made: the address should look like http://192.168.1.20:8765",
    ),
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


class _Counting(string.Formatter):
    """`{n:error}` is "1 error" or "2 errors": English counts agree with their number."""

    def format_field(self, value, format_spec: str) -> str:
        if len(format_spec) > 1 and format_spec.replace(" ", "").isalpha():
            return f"{value} {format_spec}{'' if value == 1 else 's'}"
        return super().format_field(value, format_spec)


_COUNTING = _Counting()


def t(msg: str, /, **params) -> str:
    """The message `msg` in the current language, with its fields filled."""
    zh, en = CATALOGUE[msg]
    return zh.format(**params) if _lang == "zh" else _COUNTING.format(en, **params)


def helptext(key: str) -> str:
    """A help text of the command line in the language in use: a catalogue key, or a text as is."""
    return t(key) if key in CATALOGUE else key


def weekday(d) -> str:
    """The weekday of a date, as 周一 or Mon."""
    names = t("weekdays")
    day = names[d.weekday()] if _lang == "zh" else names.split(",")[d.weekday()]
    return t("weekday_fmt", day=day)


# typer/click's own words, as a clerk meets them in help and in usage errors; English stays as is
_FRAMEWORK_ZH = [
    (r"Usage: ", "用法："),
    (r"\[OPTIONS\]", "[选项]"),
    (r"COMMAND \[ARGS\]\.\.\.", "命令 [参数]…"),
    (r"Try '(.+?)' for help\.", r"用 '\1' 查看帮助。"),
    (r"^Error: ", "错误："),
    (r"^Arguments:$", "参数："),
    (r"^Options:$", "选项："),
    (r"^Commands:$", "命令："),
    (r"\[required\]", "[必填]"),
    (r"env var: ", "环境变量："),
    (r"(\[|;\s+)default: ?", r"\1默认："),
    (r"Show this message and exit\.", "显示本帮助并退出。"),
    (r"Missing option (.+?)\.$", r"缺少选项 \1。"),
    (r"Missing argument (.+?)\.$", r"缺少参数 \1。"),
    (r"Missing parameter: (.+)", r"缺少参数：\1"),
    (r"Missing command\.", "缺少命令。"),
    (r"No such command (.+?)\.", r"没有命令 \1。"),
    (r" ?Did you mean (.+?)\?", r"你是不是要用 \1？"),
    (r"No such option: (\S+)", r"没有选项 \1"),
    (r" ?\(Possible options: (.+?)\)", r"（可能是 \1）"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", r"多出了参数（\1）"),
    (r"Invalid value for (.+?): (?:Value error, )?", r"\1 的值无效："),
    (r"Invalid value: (?:Value error, )?", "值无效："),
    (r"(\S+) is not one of (.+?)\.$", r"\1 不是可选的值（\2）。"),
    (r"Option (.+?) requires an argument\.", r"选项 \1 后面要写一个值。"),
    (r"Option (.+?) requires (\d+) arguments\.", r"选项 \1 后面要写 \2 个值。"),
    (r"Option (.+?) does not take a value\.", r"选项 \1 后面不写值。"),
    (r"Aborted!", "已中断。"),
]


_FRAMEWORK_TIDY = [  # in either language: typer's type labels and braces help no clerk
    (r" <[^<>\s]+>(?=\s)", ""),
    (r"\{([^{}\s]+)\}", r"\1"),
    (r"…\.\.\.", "…"),
]


def framework(text: str) -> str:
    """The command-line framework's own words (usage, help, usage errors) in the language in
    use: typer and click speak only English."""
    import re

    for pattern, tidy in _FRAMEWORK_TIDY:
        text = re.sub(pattern, tidy, text)
    if _lang != "zh":
        return text
    for pattern, zh in _FRAMEWORK_ZH:
        text = re.sub(pattern, zh, text, flags=re.M)
    return text
