"""Messaging channels other than the web widget (each turns its platform's events into assistant turns)."""
