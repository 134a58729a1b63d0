"""The bot's side of the conversation: the shape of a reply, and the fixed replies of the gateway."""
