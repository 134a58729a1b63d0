"""Visitors' feedback on answers: helpful or not, and why."""
