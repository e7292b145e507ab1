"""Sending knowledge-layer messages through the dispatcher."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from knowledge.answers import Message, to_dispatch


def send(dispatcher: CollectingDispatcher, messages: list[Message]) -> None:
    for message in messages:
        dispatcher.utter_message(**to_dispatch(message))
