"""The help menu: what the bot can do, every item a button."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionShowHelp(Action):
    def name(self) -> str:
        return "action_show_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        # The menu text and buttons live in the domain (utter_help) so every channel and
        # the greeting share one definition.
        dispatcher.utter_message(response="utter_help")
        return []
