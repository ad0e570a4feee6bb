"""Plan indicators: the formula registry, yearly values, progress and verdicts."""
