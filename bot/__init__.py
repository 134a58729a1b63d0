"""chizai-bot: the Japanese IP assistant of the Tokyo IP support center."""
