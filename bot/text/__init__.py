"""Japanese text handling shared by the gateway, the Rasa pipeline and search.

Kept importable on Python 3.10 (the Rasa engine) and 3.11 (the gateway):
it depends only on the standard library and SudachiPy.
"""
