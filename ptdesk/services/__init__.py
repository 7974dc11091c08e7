"""Domain rules: every action a screen or the command line can take, without Qt."""
