// wenuan serve, a unit's typed return (/u/<token>/figures): each change is checked on the
// server (the same checks as an upload) and the findings shown under their fields; 提交 records
// it when no error is left. Plain JavaScript, nothing from the internet.
"use strict";

(function () {
  const form = document.getElementById("figures");
  if (!form) return;
  const touched = new Set();
  let timer = null;
  let all = false;  // after 提交: every field unfilled is shown too

  function typed() {
    const values = {};
    const header = {};
    for (const input of form.querySelectorAll("input[data-key]")) values[input.dataset.key] = input.value;
    for (const input of form.querySelectorAll("input[data-header]")) header[input.dataset.header] = input.value;
    return { values, header };
  }

  function note(place, f) {
    const div = document.createElement(place.tagName === "UL" ? "li" : "div");
    div.className = `note sev-${f.severity}`;
    div.textContent = (f.severity === "error" ? "错误：" : "请核实：") + f.words;
    place.appendChild(div);
  }

  function show(findings) {
    for (const place of form.querySelectorAll(".notes")) place.textContent = "";
    let errors = 0;
    for (const f of findings) {
      if (f.severity === "info" || f.kind === "deadline") continue;
      if (f.severity === "error") errors += 1;
      const key = f.fields.find((k) => form.querySelector(`.notes[data-for="${CSS.escape(k)}"]`));
      if (f.kind === "missing" && !all && !touched.has(key)) continue;
      const place = key ? form.querySelector(`.notes[data-for="${CSS.escape(key)}"]`)
        : document.getElementById("general-notes");
      note(place, f);
    }
    return errors;
  }

  async function check(submit) {
    const state = document.getElementById("figures-state");
    let data;
    try {
      const response = await fetch(form.dataset.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ ...typed(), submit }),
        credentials: "same-origin",
      });
      data = await response.json();
    } catch (error) {  // the network, or a page refused (not JSON): say so, keep what was typed
      state.textContent = "暂时连不上，请稍后再试；已填写的内容仍在页面上。";
      return;
    }
    if (data.refused) {
      state.textContent = data.refused;
      return;
    }
    if (data.submitted) {
      window.location.assign(form.dataset.done);
      return;
    }
    const errors = show(data.findings);
    state.textContent = submit ? `还有 ${errors} 个错误，改好后才能提交。` : errors ? `目前有 ${errors} 个错误。` : "";
  }

  form.addEventListener("input", (event) => {
    touched.add(event.target.dataset.key || event.target.dataset.header);
    clearTimeout(timer);
    timer = setTimeout(() => check(false), 500);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    all = true;
    check(true);
  });
})();
