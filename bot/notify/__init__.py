"""Messages to visitors outside the chat (e-mail)."""
