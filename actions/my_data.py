"""delete_my_data: after a yes, erase bookings, reminders, remembered facts and the conversation."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.checks import skip_unset, yes_no
from actions.deps import UsesDeps

logger = logging.getLogger(__name__)

# The app erases the engine's conversation history after this turn is saved (bot/gateway.py).
ERASE_CONVERSATION = "erase_conversation"


class ValidateDeleteDataForm(FormValidationAction):
    def name(self) -> str:
        return "validate_delete_data_form"

    @skip_unset
    async def validate_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return yes_no("confirmed", value, dispatcher)


class ActionDeleteMyData(UsesDeps, Action):
    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("confirmed") is not True:
            dispatcher.utter_message(response="utter_data_kept")
            return [SlotSet("confirmed", None)]
        erased = await self.deps.personal_data.erase(tracker.sender_id)
        logger.info(
            "erased personal data on request (%d bookings, %d subscriptions, %d notifications)",
            erased.appointments,
            erased.subscriptions,
            erased.notifications,
        )
        dispatcher.utter_message(
            json_message={
                "ieum_control": ERASE_CONVERSATION,
                "text": (
                    "요청하신 대로 이음에 남아 있던 예약, 알림, 알려 주신 정보와 대화 기록을 모두 "
                    "지웠어요. 필요하실 때 언제든 처음부터 다시 말씀해 주세요."
                ),
            }
        )
        return [AllSlotsReset()]
