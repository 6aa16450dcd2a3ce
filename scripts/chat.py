"""Talk to the running Senior Plus in this terminal (through the REST channel).

Choices are shown numbered; answer with the number, or in your own words.
"""

from __future__ import annotations

import os
import sys
import uuid

import httpx


def show(messages: list[dict[str, object]]) -> None:
    for message in messages:
        if message.get("text"):
            print(f"\nSenior Plus : {message['text']}")
        buttons = message.get("buttons") or []
        for number, button in enumerate(buttons, start=1):  # type: ignore[arg-type]
            print(f"   {number}. {button['title']}")


def main() -> int:
    url = os.environ.get("RASA_URL", "http://127.0.0.1:5005") + "/webhooks/rest/webhook"
    sender = os.environ.get("CHAT_SENDER") or f"terminal-{uuid.uuid4().hex[:8]}"
    print(
        "Conversation avec Senior Plus. Écrivez votre message (Ctrl-D ou « quitter » pour finir)."
    )
    with httpx.Client(timeout=30.0) as client:
        while True:
            try:
                text = input("\nVous : ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if text.strip().lower() in {"quitter", "exit", "quit"}:
                return 0
            try:
                response = client.post(url, json={"sender": sender, "message": text})
            except httpx.HTTPError:
                print(
                    "Senior Plus ne répond pas. Est-il démarré ? (make run dans un autre terminal)"
                )
                continue
            if response.status_code != 200:
                print(
                    f"Erreur {response.status_code} : {response.json().get('error', response.text)}"
                )
                continue
            show(response.json())


if __name__ == "__main__":
    sys.exit(main())
