// wenuan serve: uploads one file a request with a progress bar, a sortable and filterable
// roster. Plain JavaScript, no library, nothing from the internet; without it the forms work.
"use strict";

const READABLE = [".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".doc", ".wps", ".pdf", ".csv"];  // as reading.READABLE

function suffix(name) {
  const i = name.lastIndexOf(".");
  return i < 0 ? "" : name.slice(i).toLowerCase();
}

// A file from a dropped folder is sent when the reader takes it (as `wenuan validate DIR`).
function wanted(file, fromFolder) {
  if (file.name.startsWith("~$") || file.name.startsWith(".~lock")) return false;
  return !fromFolder || READABLE.includes(suffix(file.name));
}

// A folder's files in the order `wenuan validate DIR` takes them: sorted by path.
function sorted(files) {
  const path = (f) => f.webkitRelativePath || f.relativePath || f.name;
  return [...files].sort((a, b) => (path(a) < path(b) ? -1 : path(a) > path(b) ? 1 : 0));
}

async function uploadAll(files) {
  if (!files.length) return;
  const box = document.getElementById("progress-box");
  const bar = document.getElementById("progress");
  const text = document.getElementById("progress-text");
  const log = document.getElementById("upload-log");
  box.hidden = false;
  bar.max = files.length;
  bar.value = 0;
  log.innerHTML = "";
  let done = 0;
  for (const file of files) {
    text.textContent = `正在检查 ${done + 1} / ${files.length}：${file.name}`;
    const body = new FormData();
    body.append("files", file, file.name);
    const li = document.createElement("li");
    try {
      const response = await fetch("/upload", {
        method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      const data = await response.json();
      if (data.refused) {
        li.className = "bad";
        li.textContent = `${file.name}：${data.refused}`;
      } else {
        for (const r of data.received) {
          li.className = r.errors ? "bad" : r.warnings ? "warn" : "good";
          let words = `${r.name}：${r.unit ? r.unit + "，" : ""}${r.errors} 个错误，${r.warnings} 个警告`;
          if (r.same) words += "（与上次报送的内容相同）";
          if (r.elsewhere) words += `（是 ${r.elsewhere} 的报表，已放入该表式）`;
          li.textContent = words;
          if (!r.unit) {
            for (const line of r.lines) {
              const div = document.createElement("div");
              div.className = "finding-line";
              div.textContent = line;
              li.appendChild(div);
            }
          }
        }
      }
    } catch (e) {
      li.className = "bad";
      li.textContent = `${file.name}：上传失败（${e}）`;
    }
    log.appendChild(li);
    done += 1;
    bar.value = done;
  }
  text.textContent = `已检查 ${done} 个文件`;
  await refreshRoster();
}

// The page again from the server, keeping the upload log: the roster, counts and totals.
async function refreshRoster() {
  const response = await fetch("/", { credentials: "same-origin" });
  const html = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const id of ["status-head", "counts", "roster"]) {
    const fresh = html.getElementById(id);
    const old = document.getElementById(id);
    if (fresh && old) old.replaceWith(fresh);
  }
  if (!document.getElementById("roster") && html.getElementById("roster")) {
    const log = document.getElementById("upload-log").innerHTML;
    document.querySelector("main").replaceWith(html.querySelector("main"));
    document.getElementById("upload-log").innerHTML = log;
    setUp();
  }
  document.querySelector("header.top").replaceWith(html.querySelector("header.top"));
  document.body.dataset.form = html.body.dataset.form;  // the first return may have named it
  setUpRoster();
  document.body.dataset.uploaded = String(Date.now());
}

// Files and folders dropped: folders are walked (the entries API every current browser has).
async function dropped(items) {
  const out = [];
  async function walk(entry) {
    if (entry.isFile) {
      await new Promise((ok) => entry.file((f) => {
        if (wanted(f, true)) { f.relativePath = entry.fullPath; out.push(f); }
        ok();
      }, ok));
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      let batch;
      do {
        batch = await new Promise((ok) => reader.readEntries(ok, () => ok([])));
        for (const e of batch) await walk(e);
      } while (batch.length);
    }
  }
  const entries = [...items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  for (const e of entries) {
    if (e.isFile) {
      await new Promise((ok) => e.file((f) => { if (wanted(f, false)) out.push(f); ok(); }, ok));
    } else {
      await walk(e);
    }
  }
  return out;
}

function setUp() {
  const form = document.getElementById("upload");
  if (!form) return;
  document.querySelectorAll(".js-hidden").forEach((e) => (e.hidden = true));
  const files = document.getElementById("files");
  const folder = document.getElementById("folder");
  files.addEventListener("change", () => uploadAll([...files.files].filter((f) => wanted(f, false))));
  folder.addEventListener("change", () => uploadAll(sorted([...folder.files].filter((f) => wanted(f, true)))));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    uploadAll([...files.files, ...folder.files]);
  });
  const drop = document.getElementById("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", async (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    uploadAll(sorted(await dropped(e.dataTransfer.items)));
  });
  for (const id of ["filter-state", "filter-text"]) {
    const input = document.getElementById(id);
    if (input) for (const event of ["input", "change"]) input.addEventListener(event, filterRoster);
  }
}

function filterRoster() {
  const state = document.getElementById("filter-state").value;
  const text = document.getElementById("filter-text").value.trim();
  for (const row of document.querySelectorAll("#roster tbody tr")) {
    const states = { errors: ["errors", "late_errors"], late: ["late", "late_errors"] }[state] || [state];
    const byState = !state || states.includes(row.dataset.state);
    row.hidden = !(byState && (!text || row.dataset.unit.includes(text)));
  }
}

function setUpRoster() {
  const table = document.getElementById("roster");
  if (!table) return;
  table.querySelectorAll("th").forEach((th, column) => {
    th.addEventListener("click", () => {
      const up = th.dataset.order !== "asc";
      table.querySelectorAll("th").forEach((h) => delete h.dataset.order);
      th.dataset.order = up ? "asc" : "desc";
      const value = (row) => {
        const cell = row.cells[column];
        const v = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
        return th.dataset.type === "number" ? Number(v) || 0 : v;
      };
      const rows = [...table.tBodies[0].rows];
      rows.sort((a, b) => {
        const x = value(a), y = value(b);
        const c = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
        return up ? c : -c;
      });
      rows.forEach((r) => table.tBodies[0].appendChild(r));
    });
  });
  filterRoster();
}

setUp();
setUpRoster();
