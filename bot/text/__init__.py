"""The one Japanese normaliser, the only module both Pythons run: the gateway before Rasa, and
Rasa's pipeline (bot/rasa_components) as its first step. It depends only on the standard library
and SudachiPy, so it imports on Python 3.10 (the engine) and 3.11 (the gateway).
"""
