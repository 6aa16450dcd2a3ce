// Channel simulator page: three tabs (SMS, Telegram, Téléphone) over the simulator's JSON API.
// Nothing from the bot is inserted as HTML: texts go through textContent, and Telegram's HTML
// is rebuilt node by node with only <b>, <i> and <a href="https://…"> kept.
"use strict";

(function () {
  const POLL_MS = 800;
  const DIGIT_WAIT_MS = 2000; // Twilio waits 5 s for more keys; shorter here

  const $ = (id) => document.getElementById(id);

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function api(method, url, body) {
    const options = { method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      throw new Error("Le serveur web du simulateur ne répond pas.");
    }
    let payload = null;
    try {
      payload = await response.json();
    } catch (error) {
      payload = null;
    }
    if (!response.ok) {
      let detail = payload && payload.detail;
      if (Array.isArray(detail)) detail = "Saisie refusée : vérifiez le numéro et le message.";
      throw new Error(detail || `Erreur HTTP ${response.status}.`);
    }
    return payload;
  }

  function say(statusId, text) {
    $(statusId).textContent = text || "";
  }

  // --- Tabs (WAI-ARIA tabs pattern, automatic activation) ---------------------------------
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  let activeTab = "tab-sms";

  function selectTab(tab, focus) {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !selected;
    }
    activeTab = tab.id;
    if (focus) tab.focus();
    poll();
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab, false));
    tab.addEventListener("keydown", (event) => {
      const index = tabs.indexOf(tab);
      const moves = {
        ArrowRight: (index + 1) % tabs.length,
        ArrowLeft: (index - 1 + tabs.length) % tabs.length,
        Home: 0,
        End: tabs.length - 1,
      };
      if (event.key in moves) {
        event.preventDefault();
        selectTab(tabs[moves[event.key]], true);
      }
    });
  }

  // --- Transcripts (SMS and Telegram), polled -----------------------------------------------
  function plural(n, word) {
    return `${n} ${word}${n > 1 ? "s" : ""}`;
  }

  function scrollDown(log) {
    log.scrollTop = log.scrollHeight;
  }

  function entryItem(entry) {
    const item = element("li", entry.direction);
    const who = { in: "Vous : ", out: "Senior Plus : ", note: "Remarque : " }[entry.direction];
    item.appendChild(element("span", "who", who || ""));
    return item;
  }

  const sms = { key: null, after: 0 };

  function smsMeta(entry) {
    const parts = [`${entry.segments} SMS`, entry.encoding,
      plural(entry.characters, "caractère")];
    if (entry.direction === "out") {
      parts.push(entry.via === "api" ? "envoyé par l'API Twilio (rappel, conseiller)" : "réponse TwiML");
    }
    return parts.join(" · ");
  }

  function renderSms(entry) {
    const item = entryItem(entry);
    item.appendChild(element("div", "bubble", entry.text));
    if (entry.direction !== "note") item.appendChild(element("span", "meta", smsMeta(entry)));
    if (entry.twiml) {
      const details = element("details");
      details.appendChild(element("summary", "", "TwiML reçu"));
      details.appendChild(element("pre", "", entry.twiml));
      item.appendChild(details);
    }
    return item;
  }

  // Telegram's HTML, rebuilt: <b>/<strong>, <i>/<em> and https links; any other element
  // becomes its text. DOMParser documents are inert: nothing in them runs or loads.
  function appendSafe(source, target) {
    for (const node of source.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        target.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        const tag = node.tagName.toLowerCase();
        const href = tag === "a" ? (node.getAttribute("href") || "").trim() : "";
        let copy = null;
        if (tag === "b" || tag === "strong") copy = document.createElement("b");
        else if (tag === "i" || tag === "em") copy = document.createElement("i");
        else if (tag === "a" && /^https:\/\/[^\s"'<>]+$/i.test(href)) {
          copy = document.createElement("a");
          copy.href = href;
          copy.rel = "noopener noreferrer nofollow";
          copy.target = "_blank";
        }
        if (copy) {
          appendSafe(node, copy);
          target.appendChild(copy);
        } else {
          target.appendChild(document.createTextNode(node.textContent));
        }
      }
    }
  }

  function telegramHtml(html, target) {
    const doc = new DOMParser().parseFromString(`<!DOCTYPE html><body>${html}`, "text/html");
    appendSafe(doc.body, target);
  }

  const telegram = { key: null, after: 0, keyboard: null };

  function renderTelegram(entry) {
    const item = entryItem(entry);
    const bubble = element("div", "bubble");
    if (entry.direction === "out") {
      if (entry.kind === "media") {
        bubble.appendChild(element("span", "event", `[${entry.method}]`));
        bubble.appendChild(document.createTextNode(" "));
      }
      telegramHtml(entry.html || "", bubble);
    } else {
      bubble.textContent = entry.text;
    }
    item.appendChild(bubble);
    if (entry.inline_keyboard) {
      const inline = element("div", "keyboard");
      inline.setAttribute("role", "group");
      inline.setAttribute("aria-label", "Boutons sous le message");
      for (const row of entry.inline_keyboard) {
        const line = element("div", "row");
        for (const button of row) {
          const node = element("button", "", button.text);
          node.type = "button";
          node.addEventListener("click", () => sendTelegram("callback", button.callback_data || button.text));
          line.appendChild(node);
        }
        inline.appendChild(line);
      }
      item.appendChild(inline);
    }
    if (entry.keyboard) telegram.keyboard = { rows: entry.keyboard, oneTime: entry.one_time_keyboard };
    if (entry.remove_keyboard) telegram.keyboard = null;
    return item;
  }

  function drawKeyboard() {
    const area = $("tg-keyboard");
    area.replaceChildren();
    const keyboard = telegram.keyboard;
    area.hidden = !keyboard;
    if (!keyboard) return;
    for (const row of keyboard.rows) {
      const line = element("div", "row");
      for (const button of row) {
        const node = element("button", "", button.text);
        node.type = "button";
        node.addEventListener("click", () => {
          if (keyboard.oneTime) {
            telegram.keyboard = null;
            drawKeyboard();
          }
          if (button.request_contact) sendTelegram("contact");
          else sendTelegram("text", button.text);
        });
        line.appendChild(node);
      }
      area.appendChild(line);
    }
  }

  async function pollChannel(state, url, logId, render, statusId) {
    if (!state.key) return;
    const key = state.key;
    let payload;
    try {
      payload = await api("GET", `${url}&after=${state.after}`);
    } catch (error) {
      say(statusId, error.message);
      return;
    }
    if (key !== state.key) return; // the number changed meanwhile
    const log = $(logId);
    for (const entry of payload.entries) {
      if (entry.seq <= state.after) continue;
      state.after = entry.seq;
      log.appendChild(render(entry));
    }
    if (payload.entries.length) scrollDown(log);
  }

  let polling = false;
  async function poll() {
    if (polling || document.hidden) return;
    polling = true;
    try {
      if (activeTab === "tab-sms") {
        syncSmsKey();
        await pollChannel(sms, `/simulateur/api/sms?phone=${encodeURIComponent(sms.key)}`,
          "sms-log", renderSms, "sms-status");
      } else if (activeTab === "tab-telegram") {
        syncTelegramKey();
        const before = telegram.after;
        await pollChannel(telegram, `/simulateur/api/telegram?chat_id=${encodeURIComponent(telegram.key)}`,
          "tg-log", renderTelegram, "tg-status");
        if (telegram.after !== before) drawKeyboard();
      }
    } finally {
      polling = false;
    }
  }
  setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", poll);

  // --- SMS -----------------------------------------------------------------------------------
  function syncSmsKey() {
    const phone = $("sms-phone").value.replace(/[\s.-]/g, "");
    if (phone !== sms.key) {
      sms.key = /^\+[1-9]\d{7,14}$/.test(phone) ? phone : null;
      sms.after = 0;
      $("sms-log").replaceChildren();
    }
  }

  function countSms() {
    const n = $("sms-text").value.length;
    $("sms-count").textContent = `${plural(n, "caractère")} sur 1600`;
  }
  $("sms-text").addEventListener("input", countSms);
  countSms();

  $("sms-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("sms-text").value;
    if (!text.trim()) return;
    const button = event.submitter || $("sms-form").querySelector("button");
    button.disabled = true;
    say("sms-status", "");
    try {
      syncSmsKey();
      const result = await api("POST", "/simulateur/api/sms", { phone: $("sms-phone").value, text });
      $("sms-text").value = "";
      countSms();
      if (!result.ok) say("sms-status", result.message);
    } catch (error) {
      say("sms-status", error.message);
    } finally {
      button.disabled = false;
      $("sms-text").focus();
      await poll();
    }
  });
  $("sms-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("sms-form").requestSubmit();
    }
  });

  // --- Telegram ------------------------------------------------------------------------------
  function syncTelegramKey() {
    const chat = $("tg-chat").value.trim();
    if (chat !== telegram.key) {
      telegram.key = /^[1-9]\d{0,14}$/.test(chat) ? chat : null;
      telegram.after = 0;
      telegram.keyboard = null;
      $("tg-log").replaceChildren();
      drawKeyboard();
    }
  }

  let telegramBusy = false;
  async function sendTelegram(kind, text) {
    if (telegramBusy) return;
    syncTelegramKey();
    if (!telegram.key) {
      say("tg-status", "Numéro de conversation attendu : des chiffres seulement.");
      return;
    }
    telegramBusy = true;
    say("tg-status", "");
    try {
      const result = await api("POST", "/simulateur/api/telegram", {
        chat_id: Number(telegram.key), kind, text: text || "", phone: $("tg-phone").value,
      });
      if (!result.ok) say("tg-status", result.message);
    } catch (error) {
      say("tg-status", error.message);
    } finally {
      telegramBusy = false;
      await poll();
    }
  }

  $("tg-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("tg-text").value;
    if (!text.trim()) return;
    $("tg-text").value = "";
    await sendTelegram("text", text);
    $("tg-text").focus();
  });
  $("tg-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("tg-form").requestSubmit();
    }
  });
  for (const button of document.querySelectorAll("[data-tg]")) {
    button.addEventListener("click", () => {
      const kind = button.dataset.tg;
      if (kind === "start") sendTelegram("text", "/start");
      else sendTelegram(kind);
    });
  }

  // --- Téléphone -----------------------------------------------------------------------------
  const phone = { sid: null, view: null, spokenSteps: 0, digits: "", timer: null, busy: false };
  const keys = Array.from(document.querySelectorAll("[data-key]"));

  function speakAloud(text) {
    if (!$("voice-speak").checked || !("speechSynthesis" in window) || !text) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "fr-FR";
    utterance.rate = 0.9;
    const french = window.speechSynthesis.getVoices().find((v) => v.lang && v.lang.startsWith("fr"));
    if (french) utterance.voice = french;
    window.speechSynthesis.speak(utterance);
  }

  function renderCall(view) {
    const log = $("voice-log");
    log.replaceChildren();
    view.steps.forEach((step, index) => {
      if (step.caller_action) {
        const mine = element("li", "in");
        mine.appendChild(element("span", "who", "Vous : "));
        mine.appendChild(element("div", "bubble", step.caller_action));
        log.appendChild(mine);
      }
      const item = element("li", "out");
      item.appendChild(element("span", "who", "Senior Plus : "));
      const bubble = element("div", "bubble");
      if (step.spoken.length) bubble.appendChild(element("div", "spoken", step.spoken.join(" ")));
      for (const event of step.events) bubble.appendChild(element("div", "event", event));
      if (!step.spoken.length && !step.events.length) bubble.textContent = "(rien n'est dit)";
      item.appendChild(bubble);
      if (step.twiml) {
        item.appendChild(element("span", "meta", `${step.path} · HTTP ${step.status}`));
        const details = element("details");
        details.appendChild(element("summary", "", "TwiML reçu"));
        details.appendChild(element("pre", "", step.twiml));
        item.appendChild(details);
      }
      log.appendChild(item);
      if (index >= phone.spokenSteps) speakAloud(step.spoken.join(" "));
    });
    phone.spokenSteps = view.steps.length;
    scrollDown(log);

    const waiting = view.status === "in-progress" ? view.waiting : null;
    for (const key of keys) key.disabled = !(waiting && waiting.dtmf);
    $("voice-speech").disabled = $("voice-say").disabled = !(waiting && waiting.speech);
    $("voice-silence").disabled = !waiting;
    $("voice-hangup").disabled = view.status === "completed";
    $("voice-noanswer").hidden = !view.can_report_no_answer;
    $("voice-call").disabled = view.status !== "completed";
    $("voice-state").textContent = {
      "in-progress": waiting ? "Appel en cours : Senior Plus attend votre réponse." : "Appel en cours.",
      transferred: "Transfert en cours vers un conseiller.",
      completed: "Appel terminé.",
    }[view.status];
  }

  async function callApi(body) {
    if (!phone.sid || phone.busy) return;
    phone.busy = true;
    say("voice-status", "");
    try {
      phone.view = await api("POST", `/simulateur/api/voice/${encodeURIComponent(phone.sid)}`, body);
      renderCall(phone.view);
    } catch (error) {
      say("voice-status", error.message);
    } finally {
      phone.busy = false;
    }
  }

  $("voice-call").addEventListener("click", async () => {
    if (phone.busy) return;
    phone.busy = true;
    $("voice-call").disabled = true;
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
    say("voice-status", "");
    $("voice-state").textContent = "Appel en cours…";
    try {
      phone.view = await api("POST", "/simulateur/api/voice", { phone: $("voice-phone").value });
      phone.sid = phone.view.call_sid;
      phone.spokenSteps = 0;
      renderCall(phone.view);
    } catch (error) {
      say("voice-status", error.message);
      $("voice-state").textContent = "Pas d'appel en cours.";
      $("voice-call").disabled = false;
    } finally {
      phone.busy = false;
    }
  });

  function flushDigits() {
    clearTimeout(phone.timer);
    phone.timer = null;
    const digits = phone.digits;
    phone.digits = "";
    $("voice-digits").textContent = "";
    if (digits) callApi({ kind: "digits", value: digits });
  }

  function pressKey(key) {
    const waiting = phone.view && phone.view.status === "in-progress" ? phone.view.waiting : null;
    if (!waiting || !waiting.dtmf || phone.busy) return;
    const finish = waiting.finish_on_key || "";
    if (finish && finish.includes(key)) {
      if (phone.digits) flushDigits();
      else callApi({ kind: "silence" });
      return;
    }
    phone.digits += key;
    $("voice-digits").textContent = `Touches tapées : ${phone.digits}`;
    clearTimeout(phone.timer);
    if (waiting.num_digits && phone.digits.length >= waiting.num_digits) flushDigits();
    else phone.timer = setTimeout(flushDigits, DIGIT_WAIT_MS);
  }

  for (const key of keys) key.addEventListener("click", () => pressKey(key.dataset.key));
  $("panel-voice").addEventListener("keydown", (event) => {
    const typing = event.target.matches("input[type=text], input[type=tel], textarea");
    if (!typing && /^[0-9*#]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      pressKey(event.key);
    }
  });

  $("voice-speech-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("voice-speech").value.trim();
    if (!text) return;
    $("voice-speech").value = "";
    callApi({ kind: "speech", value: text });
  });
  $("voice-silence").addEventListener("click", () => callApi({ kind: "silence" }));
  $("voice-noanswer").addEventListener("click", () => callApi({ kind: "no_answer" }));
  $("voice-hangup").addEventListener("click", () => {
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
    callApi({ kind: "hangup" });
  });

  poll();
})();
