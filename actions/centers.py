"""find_center: nearest centers by district, then region, then the national hotline."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.checks import skip_unset
from actions.deps import ActionDeps, UsesDeps
from actions.facts import region_from
from actions.send import send
from knowledge.answers import ask_which_district, centers_answer
from knowledge.center_search import find_centers
from knowledge.districts import District
from knowledge.places import PlaceMatch, find_place
from knowledge.referrals import find_referral, referral_answer, referral_book
from knowledge.schema import Referral


def known_place(tracker: Tracker, deps: ActionDeps) -> PlaceMatch:
    """The place meant now: words in the latest message first, then what was said before."""
    text = tracker.latest_message.get("text") or ""
    if not text.startswith("/"):
        fresh = find_place(text, deps.districts)
        if fresh.found:
            return fresh
    region = region_from(tracker.get_slot("region"), deps)
    district_name = tracker.get_slot("district")
    if district_name:
        district = deps.districts.find(str(district_name), region)
        if district is not None:
            return PlaceMatch(district=district, region=district.region)
        place = find_place(str(district_name), deps.districts)
        if place.found:
            return place
    return PlaceMatch(region=region)


def referral_asked(tracker: Tracker) -> Referral | None:
    """A center or office the KB does not list (새일센터, 국민연금공단), named in this message."""
    return find_referral(tracker.latest_message.get("text") or "", referral_book().all())


class ValidateCenterForm(UsesDeps, FormValidationAction):
    def name(self) -> str:
        return "validate_center_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("place"):
            return []
        place = known_place(tracker, self.deps)
        if place.district is not None or (place.region is not None and not place.ambiguous):
            return []
        return ["place"]

    @skip_unset
    async def validate_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        place = find_place(str(value or ""), self.deps.districts)
        if place.district is not None:
            return {
                "place": place.district.full,
                "district": place.district.name,
                "region": place.district.region,
            }
        if place.ambiguous:
            send(dispatcher, [ask_which_district(place.ambiguous)])
            return {"place": None}
        if place.region is not None:
            return {"place": place.region, "region": place.region, "district": None}
        dispatcher.utter_message(response="utter_bad_region")
        return {"place": None}


class ActionAskPlace(UsesDeps, Action):
    def name(self) -> str:
        return "action_ask_place"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if referral_asked(tracker) is not None:  # "새일센터 어디예요?": action_find_center says
            return [SlotSet("requested_slot", None), ActiveLoop(None)]
        place = known_place(tracker, self.deps)
        if place.ambiguous:
            send(dispatcher, [ask_which_district(place.ambiguous)])
        else:
            dispatcher.utter_message(response="utter_ask_place")
        return []


class ActionFindCenter(UsesDeps, Action):
    def name(self) -> str:
        return "action_find_center"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        referral = referral_asked(tracker)
        if referral is not None:  # a center we do not list: its own office, never other centers
            send(dispatcher, referral_answer(referral))
            return [SlotSet("place", None)]
        district: District | None = None
        region: str | None = None
        chosen = tracker.get_slot("place")
        place = (
            find_place(str(chosen), self.deps.districts)
            if chosen
            else known_place(tracker, self.deps)
        )
        district, region = place.district, place.region
        search = find_centers(
            await self.deps.catalog.centers(), self.deps.districts, district, region
        )
        send(dispatcher, centers_answer(search))
        events: list[dict[str, Any]] = [SlotSet("place", None)]
        if district is not None:
            events += [SlotSet("district", district.name), SlotSet("region", district.region)]
        elif region is not None:
            events.append(SlotSet("region", region))
        return events
