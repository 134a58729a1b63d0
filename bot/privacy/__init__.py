"""Privacy rules that span features: how long visitors' words and contact details are kept."""
