/* Live transcript: new lines every 3 seconds, inserted as text (never as HTML). */
"use strict";

(function () {
  const C = window.SPConsole;
  const log = document.getElementById("fil");
  const list = document.getElementById("fil-lignes");
  const state = document.getElementById("fil-etat");
  if (!log || !list) return;
  const url = log.getAttribute("data-url");
  let after = log.getAttribute("data-after") || "";
  let status = log.getAttribute("data-statut");
  const seen = new Set();

  function key(line) {
    return line.at + "|" + line.locuteur + "|" + line.texte;
  }

  function lineNode(line) {
    const who = C.el("p", { class: "qui" }, [
      line.qui + " ",
      C.el("span", { class: "meta", text: "· " + line.heure + (line.canal ? " · " + line.canal : "") }),
    ]);
    const children = [who, C.el("p", { class: "texte", text: line.texte })];
    if (line.envoi) {
      children.push(C.el("p", {
        class: "envoi " + (line.envoi_ok ? "ok" : "ko"),
        text: line.envoi + (line.motif ? " : " + line.motif : ""),
      }));
    }
    return C.el("li", { class: "ligne " + line.locuteur, "data-at": line.at, "data-locuteur": line.locuteur }, children);
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  async function refresh() {
    const query = after ? "?after=" + encodeURIComponent(after) : "";
    const data = await C.poll(url + query);
    if (!data) return;
    const stick = nearBottom();
    let added = 0;
    for (const line of data.lignes) {
      if (seen.has(key(line))) continue;
      seen.add(key(line));
      list.append(lineNode(line));
      after = line.at;
      added += 1;
    }
    if (added && stick) log.scrollTop = log.scrollHeight;
    if (data.statut !== status) {
      status = data.statut;
      state.textContent = "La conversation est maintenant " + data.statut_label +
        (data.titulaire ? " (" + data.titulaire + ")" : "") + ". Rechargez la page pour les actions à jour.";
    }
  }

  // Lines already on the page count as seen.
  for (const item of list.querySelectorAll("li")) {
    const text = item.querySelector(".texte");
    seen.add(item.getAttribute("data-at") + "|" + item.getAttribute("data-locuteur") + "|" + (text ? text.textContent : ""));
  }
  log.scrollTop = log.scrollHeight;
  C.every(3000, refresh, (error) => {
    if (error) state.textContent = "Le fil ne se met plus à jour (connexion perdue). Nouvel essai en cours…";
  });
})();
