"""The Exercises page: patients' home programs, the exercise library and the day's sheets."""
