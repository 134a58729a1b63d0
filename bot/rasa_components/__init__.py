"""Custom Rasa 3.6 graph components (loaded by the Rasa engine on Python 3.10)."""
