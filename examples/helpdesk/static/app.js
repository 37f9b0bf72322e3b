// The helpdesk page. Every string from a bounce is put into the page as
// text (textContent, text nodes, textarea values): never as markup.
"use strict";

const words = {
  ja: {
    title: "不達通知の解説（ヘルプデスク用）",
    lead: "不達通知の本文を貼り付けるか、.eml / mbox ファイルを選んでください。宛先ごとに、何が起きたか・誰が何をすべきか・送り直してよいかを表示します。",
    pasteLabel: "不達通知の本文",
    fileLabel: "ファイル：",
    explain: "解説する",
    clear: "クリア",
    dropHint: "ファイルはこの枠にドラッグ＆ドロップすることもできます。内容はサーバーに保存されません。",
    footer: "ndrkit ヘルプデスク — 入力はこのサーバーで解析され、保存されません。",
    working: "解析しています…",
    none: "宛先が見つかりませんでした。",
    results: (n) => `${n} 件の宛先`,
    recipient: "宛先",
    message: (n) => `メッセージ ${n}`,
    reply: "応答コード",
    status: "拡張ステータスコード",
    inferred: "推定",
    tokens: "事業者独自のコード",
    remote: "拒否・失敗したサーバー",
    remoteOK: "受け取ったサーバー",
    reason: "理由",
    evidence: "判定の根拠",
    urgency: "緊急度",
    original: "元のメール",
    actions: "対処（担当者別）",
    retry: "送り直し",
    references: "参考資料",
    seeAlso: "ほかに考えられる原因",
    userMessage: "利用者への連絡文",
    copy: "コピー",
    copied: "コピーしました",
    diagnostic: "診断メッセージ（原文）",
    notBounce: "不達通知ではありません。",
    error: "読み取れませんでした：",
    tooLarge: "入力が大きすぎます。",
    failedRequest: "解析できませんでした：",
    dnsTitle: "送信者の DNS",
    dnsCheck: "送信者の DNS を確認",
    dnsWorking: "DNS を確認しています…",
    dnsNone: "この不達通知に関係する DNS の確認はありません。",
    dnsNotChecked: "確認していません（1 回に確認するのは 10 通までです）。",
    dnsFailed: "DNS を確認できませんでした：",
  },
  en: {
    title: "Bounce explainer for the helpdesk",
    lead: "Paste the text of a bounce (non-delivery report), or choose an .eml or mbox file. For each recipient the page shows what happened, who must act and whether to send again.",
    pasteLabel: "Bounce text",
    fileLabel: "File:",
    explain: "Explain",
    clear: "Clear",
    dropHint: "You can also drop a file onto this box. Nothing is stored on the server.",
    footer: "ndrkit helpdesk — input is read by this server and not stored.",
    working: "Reading…",
    none: "No recipient was found.",
    results: (n) => (n === 1 ? "1 recipient" : `${n} recipients`),
    recipient: "Recipient",
    message: (n) => `Message ${n}`,
    reply: "Reply code",
    status: "Enhanced status code",
    inferred: "inferred",
    tokens: "Provider's own code",
    remote: "Failing server",
    remoteOK: "Receiving server",
    reason: "Reason",
    evidence: "Evidence",
    urgency: "Urgency",
    original: "Original message",
    actions: "What to do, by who must act",
    retry: "Sending again",
    references: "References",
    seeAlso: "Other possible causes",
    userMessage: "Message for the user",
    copy: "Copy",
    copied: "Copied",
    diagnostic: "Diagnostic (as received)",
    notBounce: "This is not a bounce.",
    error: "Could not be read:",
    tooLarge: "The input is too large.",
    failedRequest: "Could not explain:",
    dnsTitle: "The sender's DNS",
    dnsCheck: "Check the sender's DNS",
    dnsWorking: "Checking the DNS…",
    dnsNone: "No DNS check applies to this bounce.",
    dnsNotChecked: "Not checked (at most 10 messages are checked at a time).",
    dnsFailed: "Could not check the DNS:",
  },
};

let lang = document.documentElement.lang === "ja" ? "ja" : "en";
let lastInput = null; // the text or file bytes last explained
let lastItems = null;
let dnsAnswer = null; // the pending or finished POST /api/dnscheck for lastInput

const $ = (id) => document.getElementById(id);
const t = (key, ...args) => {
  const w = words[lang][key];
  return typeof w === "function" ? w(...args) : w;
};

// el makes an element; children are nodes or strings (made text nodes).
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === "") continue;
    e.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

function applyWords() {
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  document.title = t("title");
  $("lang-ja").setAttribute("aria-pressed", String(lang === "ja"));
  $("lang-en").setAttribute("aria-pressed", String(lang === "en"));
}

function setStatus(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", !!isError);
}

async function explain(input) {
  lastInput = input;
  dnsAnswer = null;
  setStatus(t("working"));
  let res;
  try {
    res = await fetch(`/api/view?lang=${lang}`, { method: "POST", body: input });
  } catch (err) {
    setStatus(`${t("failedRequest")} ${err}`, true);
    return;
  }
  if (res.status === 413) {
    setStatus(t("tooLarge"), true);
    return;
  }
  const data = await res.json().catch(() => null);
  if (!res.ok || !Array.isArray(data)) {
    setStatus(`${t("failedRequest")} ${(data && data.error) || res.status}`, true);
    return;
  }
  lastItems = data;
  render(data);
}

function render(items) {
  const out = $("results");
  out.replaceChildren();
  let n = 0;
  for (const [k, item] of items.entries()) {
    if (item.line) {
      n++;
      out.append(card(item.line, item.display, k));
    } else if (item.problem) {
      out.append(problemCard(item.problem));
    }
  }
  setStatus(n ? t("results", n) : t("none"));
}

function problemCard(p) {
  const where = p.message ? t("message", p.message) + " — " : "";
  const text = p.not_bounce ? t("notBounce") : `${t("error")} ${p.error}`;
  return el("article", { class: "card note" }, el("p", {}, where + text));
}

// fact adds a term and its description to a definition list.
function fact(dl, label, ...value) {
  dl.append(el("dt", {}, label), el("dd", {}, ...value));
}

// card shows one recipient; k is its position among the items, which
// POST /api/dnscheck answers in the same order.
function card(line, d, k) {
  const c = el("article", { class: `card ${d.state}` });
  const head = el("div", { class: "head" },
    el("span", { class: "badge" }, d.state_label),
    el("h2", { class: "recipient" }, line.recipient));
  if (d.message) head.append(el("span", { class: "where" }, t("message", d.message)));
  c.append(head);

  const x = line.explanation;
  if (d.gist) c.append(el("p", { class: "gist" }, d.gist));
  if (x) {
    c.append(el("h3", { class: "title" }, x.title));
    c.append(el("p", { class: "summary" }, x.summary));
  }

  const dl = el("dl", { class: "facts" });
  if (line.reply_code) {
    fact(dl, t("reply"), el("code", {}, String(line.reply_code)), el("span", { class: "meaning" }, d.reply_meaning));
  }
  if (line.status) {
    const v = [el("code", {}, line.status), el("span", { class: "meaning", title: d.status_detail || "" }, d.status_meaning)];
    if (line.status_inferred) v.push(el("span", { class: "inferred" }, `(${t("inferred")})`));
    fact(dl, t("status"), ...v);
  }
  if (line.tokens.length) {
    const v = [];
    for (const tok of line.tokens) v.push(el("code", {}, tok), " ");
    fact(dl, t("tokens"), ...v);
  }
  if (line.remote_mta) {
    // A delivery or relay report names the server that accepted it.
    const ok = ["delivered", "relayed", "expanded"].includes(line.action);
    fact(dl, t(ok ? "remoteOK" : "remote"), el("span", { class: "mono" }, line.remote_mta));
  }
  fact(dl, t("reason"), el("code", {}, line.reason), el("span", { class: "meaning" }, d.reason_title));
  if (d.urgency_label) {
    fact(dl, t("urgency"), el("span", { class: x ? `urgency-${x.urgency}` : "" }, d.urgency_label));
  }
  if (d.original) {
    fact(dl, t("original"), [d.original.subject, d.original.message_id].filter(Boolean).join(" "));
  }
  for (const f of d.facts) fact(dl, f.label, f.value);
  fact(dl, t("evidence"), d.evidence);
  c.append(dl);

  if (d.groups.length) {
    c.append(el("h3", { class: "section" }, t("actions")));
    for (const g of d.groups) {
      const ul = el("ul");
      for (const s of g.steps) ul.append(el("li", {}, s));
      c.append(el("section", { class: `actor actor-${g.actor}` }, el("h4", {}, g.label), ul));
    }
  }
  if (x) {
    c.append(el("h3", { class: "section" }, t("retry")));
    c.append(el("p", { class: "retry" }, el("strong", {}, d.retry_label), x.retry_text));
  }
  if (d.references.length) {
    c.append(el("h3", { class: "section" }, t("references")));
    const ul = el("ul", { class: "refs" });
    for (const r of d.references) ul.append(el("li", {}, link(r)));
    c.append(ul);
  }
  if (d.see_also.length) {
    c.append(el("h3", { class: "section" }, t("seeAlso")));
    const ul = el("ul", { class: "see" });
    for (const s of d.see_also) ul.append(el("li", {}, s.title));
    c.append(ul);
  }

  c.append(el("h3", { class: "section" }, t("userMessage")));
  const msg = el("textarea", { class: "usermsg", rows: "9", readonly: "" });
  msg.value = d.user_message;
  const done = el("span", { class: "copied" });
  const copy = el("button", { type: "button", class: "copy" }, t("copy"));
  copy.addEventListener("click", () => copyText(msg, done));
  c.append(msg, el("div", { class: "copyrow" }, copy, done));

  c.append(el("h3", { class: "section" }, t("dnsTitle")));
  const dns = el("div", { class: "dns" });
  const check = el("button", { type: "button", class: "dnscheck" }, t("dnsCheck"));
  check.addEventListener("click", () => checkDNS(k, dns, check));
  c.append(el("div", { class: "dnsrow" }, check), dns);

  if (line.diagnostic) {
    c.append(el("details", {}, el("summary", {}, t("diagnostic")), el("pre", {}, line.diagnostic)));
  }
  return c;
}

// checkDNS asks POST /api/dnscheck about the input (once for all cards)
// and shows the findings of item k in box.
async function checkDNS(k, box, button) {
  button.disabled = true;
  box.replaceChildren(el("p", { class: "dnsstatus" }, t("dnsWorking")));
  if (dnsAnswer === null) {
    const input = lastInput;
    dnsAnswer = fetch(`/api/dnscheck?lang=${lang}`, { method: "POST", body: input }).then(async (res) => {
      const data = await res.json().catch(() => null);
      if (!res.ok || !Array.isArray(data)) throw new Error((data && data.error) || String(res.status));
      return data;
    });
  }
  let items;
  try {
    items = await dnsAnswer;
  } catch (err) {
    dnsAnswer = null;
    button.disabled = false;
    box.replaceChildren(el("p", { class: "dnsstatus error" }, `${t("dnsFailed")} ${err.message}`));
    return;
  }
  box.replaceChildren(dnsFindings(items[k]));
}

// dnsFindings shows the findings of one recipient.
function dnsFindings(item) {
  if (!item || !item.checked) return el("p", { class: "dnsstatus" }, t("dnsNotChecked"));
  if (!item.findings.length) return el("p", { class: "dnsstatus" }, t("dnsNone"));
  const ul = el("ul", { class: "findings" });
  for (const f of item.findings) {
    const li = el("li", { class: `finding sev-${f.severity}` },
      el("strong", {}, `[${f.severity_label}] ${f.check_label}`), " ", el("span", { class: "fsummary" }, f.summary));
    if (f.remedy_id) li.append(" ", el("code", {}, f.remedy_id));
    if (f.evidence.length) li.append(el("pre", { class: "fevidence" }, f.evidence.join("\n")));
    ul.append(li);
  }
  return ul;
}

// link makes an anchor for an http or https URL only; anything else is
// shown as text.
function link(s) {
  let u;
  try {
    u = new URL(s);
  } catch {
    return document.createTextNode(s);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return document.createTextNode(s);
  return el("a", { href: u.href, rel: "noopener noreferrer", target: "_blank" }, s);
}

async function copyText(area, done) {
  try {
    await navigator.clipboard.writeText(area.value);
  } catch {
    area.select();
    document.execCommand("copy");
  }
  done.textContent = t("copied");
}

function readFile(file) {
  $("filename").textContent = file.name;
  file.arrayBuffer().then((buf) => explain(new Uint8Array(buf)));
}

function setLanguage(l) {
  lang = l;
  applyWords();
  if (lastInput !== null) explain(lastInput);
}

document.addEventListener("DOMContentLoaded", () => {
  applyWords();
  $("lang-ja").addEventListener("click", () => setLanguage("ja"));
  $("lang-en").addEventListener("click", () => setLanguage("en"));
  $("explain").addEventListener("click", () => {
    const text = $("text").value;
    if (text.trim()) {
      $("filename").textContent = "";
      explain(text);
    }
  });
  $("clear").addEventListener("click", () => {
    $("text").value = "";
    $("file").value = "";
    $("filename").textContent = "";
    $("results").replaceChildren();
    setStatus("");
    lastInput = lastItems = null;
  });
  $("file").addEventListener("change", (ev) => {
    if (ev.target.files.length) readFile(ev.target.files[0]);
  });
  const drop = $("drop");
  drop.addEventListener("dragover", (ev) => {
    ev.preventDefault();
    drop.classList.add("dragging");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
  drop.addEventListener("drop", (ev) => {
    ev.preventDefault();
    drop.classList.remove("dragging");
    if (ev.dataTransfer.files.length) readFile(ev.dataTransfer.files[0]);
  });
});
