"""Rasa custom actions: thin clients of the gateway's domain services."""
