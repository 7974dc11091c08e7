"""The Sessions page: record what was done in a visit, co-sign, addenda, printed summaries."""
