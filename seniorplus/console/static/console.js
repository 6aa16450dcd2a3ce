/* Console Senior Plus: shared helpers (no inline script: CSP script-src 'self'). */
"use strict";

window.SPConsole = (function () {
  const BASE = "/console";

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* GET a JSON refresh; a 401 means the session ended: back to the login page. */
  async function poll(url) {
    const response = await fetch(url, {
      headers: { "X-Console-Poll": "1", "Accept": "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (response.status === 401) {
      let target = BASE + "/login?expiree=1";
      try {
        const body = await response.json();
        if (body && typeof body.connexion === "string" && body.connexion.startsWith(BASE + "/")) {
          target = body.connexion;
        }
      } catch (ignored) { /* keep the default */ }
      window.location.assign(target);
      return null;
    }
    if (!response.ok) {
      throw new Error("HTTP " + response.status);
    }
    return response.json();
  }

  /* Build an element; every text goes through textContent, never HTML. */
  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children || []) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function hiddenCsrf() {
    return el("input", { type: "hidden", name: "csrf", value: csrf() });
  }

  /* Run task now and then every ms milliseconds (slower when the tab is hidden). */
  function every(ms, task, onError) {
    let failures = 0;
    async function tick() {
      try {
        await task();
        failures = 0;
        if (onError) onError(null);
      } catch (error) {
        failures += 1;
        if (onError) onError(error);
      }
      const wait = document.hidden ? ms * 4 : ms * Math.min(1 + failures, 6);
      window.setTimeout(tick, wait);
    }
    window.setTimeout(tick, ms);
  }

  /* "123 caractères sur 1600" under each textarea with data-compteur. */
  function counters() {
    for (const area of document.querySelectorAll("textarea[data-compteur]")) {
      const output = document.getElementById(area.getAttribute("data-compteur"));
      if (!output) continue;
      const max = Number(area.getAttribute("maxlength")) || 0;
      const update = () => {
        const used = area.value.length;
        output.textContent = used + " caractère" + (used > 1 ? "s" : "") + " sur " + max;
        output.classList.toggle("limite", max > 0 && used >= max - 100);
      };
      area.addEventListener("input", update);
      update();
    }
  }

  /* Buttons with data-confirmer ask before submitting their form. */
  function confirmations() {
    for (const button of document.querySelectorAll("[data-confirmer]")) {
      button.addEventListener("click", (event) => {
        if (!window.confirm(button.getAttribute("data-confirmer"))) event.preventDefault();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    counters();
    confirmations();
  });

  return { BASE, csrf, poll, el, hiddenCsrf, every };
})();
