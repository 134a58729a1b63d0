"""Seminars and events staff announce: what the bot tells a visitor who asks for one."""
