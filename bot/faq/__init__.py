"""Grounded topic answers (patents, designs, trademarks, …) chosen by sub-topic."""
