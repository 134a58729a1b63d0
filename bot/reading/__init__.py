"""Reading what visitors type: a plain yes, booking numbers, contacts, names, fact-like tokens."""
