/* The queue refreshes itself every 5 seconds without reloading the page. */
"use strict";

(function () {
  const C = window.SPConsole;
  const script = document.currentScript;
  const supervising = script && script.getAttribute("data-superviseur") === "oui";
  const status = document.getElementById("file-etat");
  let last = "";

  function reassignForm(item, agents) {
    const selectId = "agent-" + item.id;
    const select = C.el("select", { id: selectId, name: "agent_id" },
      agents.map((a) => C.el("option", { value: String(a.id), text: a.nom })));
    return C.el("form", {
      method: "post", action: C.BASE + "/conversations/" + item.id + "/reattribuer", class: "reattribuer",
    }, [
      C.hiddenCsrf(),
      C.el("label", { for: selectId, text: "Confier à" }),
      select,
      C.el("button", { type: "submit" }, [
        "Réattribuer",
        C.el("span", { class: "visually-hidden", text: " la conversation n° " + item.id }),
      ]),
    ]);
  }

  function itemNode(item, agents) {
    const buttons = C.el("div", { class: "boutons" });
    if (item.status === "en_attente") {
      buttons.append(C.el("form", { method: "post", action: C.BASE + "/conversations/" + item.id + "/prendre" }, [
        C.hiddenCsrf(),
        C.el("button", { type: "submit", class: "principal" }, [
          "Prendre",
          C.el("span", { class: "visually-hidden", text: " la conversation n° " + item.id }),
        ]),
      ]));
    }
    if (supervising) buttons.append(reassignForm(item, agents));
    const meta = item.status === "en_attente"
      ? "En attente " + item.waiting
      : "Prise " + item.waiting + " par " + (item.holder || "—");
    return C.el("li", { class: item.urgent ? "carte attente urgent" : "carte attente", "data-id": String(item.id) }, [
      C.el("h3", {}, [C.el("a", { href: item.url, text: "Conversation n° " + item.id + " — " + item.channel })]),
      C.el("p", { class: "motif", text: item.reason }),
      C.el("p", { class: "meta", text: meta }),
      C.el("p", { class: "resume", text: item.summary }),
      buttons,
    ]);
  }

  function fill(listId, items, agents) {
    const list = document.getElementById(listId);
    if (!list) return;
    if (list.contains(document.activeElement) && document.activeElement !== list) return; // do not pull the rug
    const nodes = items.length
      ? items.map((item) => itemNode(item, agents))
      : [C.el("li", { class: "vide", text: list.getAttribute("data-vide") || "" })];
    list.replaceChildren(...nodes);
  }

  async function refresh() {
    const data = await C.poll(C.BASE + "/file.json");
    if (!data) return;
    const text = JSON.stringify(data);
    if (text === last) return;
    const before = last ? JSON.parse(last).en_attente.length : null;
    last = text;
    fill("liste-attente", data.en_attente, data.conseillers);
    fill("liste-miennes", data.mes_conversations, data.conseillers);
    fill("liste-autres", data.autres, data.conseillers);
    const waiting = data.en_attente.length;
    if (before === null || before !== waiting) {
      status.textContent = waiting + " conversation(s) en attente. La liste se met à jour toute seule.";
    }
  }

  C.every(5000, refresh, (error) => {
    if (error) status.textContent = "La liste ne se met plus à jour (connexion perdue). Nouvel essai en cours…";
  });
})();
