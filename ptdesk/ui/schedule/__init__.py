"""The Schedule page: day, week and room grids, the agenda, booking and the day sheet."""
