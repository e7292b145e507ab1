"""ask_job_fairs, subscribe_alerts, unsubscribe_alerts."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.checks import skip_unset
from actions.deps import ActionDeps, UsesDeps
from actions.facts import region_from
from actions.send import send
from knowledge.event_answers import (
    ask_alert_regions,
    job_fairs_answer,
    regions_in_text,
    subscribed,
    unsubscribed,
)
from knowledge.when import day_label
from nlu.korean.dates import parse_date


def regions_said(tracker: Tracker, deps: ActionDeps) -> list[str]:
    """Regions in the latest message: entities (districts too) first, then names in the text."""
    found: list[str] = []
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") in ("region", "district"):
            region = region_from(entity.get("value"), deps)
            if region:
                found.append(region)
    found += regions_in_text(tracker.latest_message.get("text") or "")
    return list(dict.fromkeys(found))


class ActionListJobFairs(UsesDeps, Action):
    def name(self) -> str:
        return "action_list_job_fairs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        regions = regions_said(tracker, self.deps)
        if not regions:
            known = region_from(tracker.get_slot("region"), self.deps)
            regions = [known] if known else []
        span = None
        for entity in tracker.latest_message.get("entities", []):
            if entity.get("entity") == "date":
                span = parse_date(str(entity.get("value")), self.deps.now())
        if span is None:
            span = parse_date(tracker.latest_message.get("text") or "", self.deps.now())
        events = await self.deps.events.upcoming(
            self.deps.now(),
            regions or None,
            span.start if span else None,
            span.end if span else None,
        )
        span_label = ""
        if span is not None:
            span_label = (
                day_label(span.start)
                if span.is_day
                else f"{day_label(span.start)}~{day_label(span.end)}"
            )
        send(dispatcher, job_fairs_answer(events, "·".join(regions), span_label))
        return []


class ActionStartAlerts(UsesDeps, Action):
    """Before the alerts form: regions named in the request fill it at once."""

    def name(self) -> str:
        return "action_start_alerts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [SlotSet("alert_regions", regions_said(tracker, self.deps) or None)]


class ValidateAlertsForm(UsesDeps, FormValidationAction):
    def name(self) -> str:
        return "validate_alerts_form"

    @skip_unset
    async def validate_alert_regions(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        regions = regions_said(tracker, self.deps)
        if not regions and isinstance(value, list):
            regions = [r for v in value for r in regions_in_text(str(v))]
        if not regions:
            dispatcher.utter_message(response="utter_bad_alert_regions")
            return {"alert_regions": None}
        return {"alert_regions": regions}


class ActionAskAlertRegions(UsesDeps, Action):
    def name(self) -> str:
        return "action_ask_alert_regions"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        current = await self.deps.subscriptions.regions(tracker.sender_id)
        known = region_from(tracker.get_slot("region"), self.deps)
        send(dispatcher, [ask_alert_regions(current, known)])
        return []


class ActionSubscribeAlerts(UsesDeps, Action):
    def name(self) -> str:
        return "action_subscribe_alerts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        wanted = [str(r) for r in tracker.get_slot("alert_regions") or []]
        regions = await self.deps.subscriptions.add(tracker.sender_id, wanted, self.deps.now())
        added = [r for r in wanted if r in regions]
        if not added:
            dispatcher.utter_message(response="utter_bad_alert_regions")
        else:
            send(dispatcher, [subscribed(added, regions)])
        return [SlotSet("alert_regions", None)]


class ActionUnsubscribeAlerts(UsesDeps, Action):
    def name(self) -> str:
        return "action_unsubscribe_alerts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        removed = await self.deps.subscriptions.remove_all(tracker.sender_id)
        send(dispatcher, [unsubscribed(removed)])
        return [SlotSet("alert_regions", None)]
