"""When staff can answer in the chat: staffed hours, closed days, and who is on duty."""
