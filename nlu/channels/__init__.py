"""Rasa input channels of the engine (listed in credentials.yml)."""
