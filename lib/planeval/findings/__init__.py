"""Findings: rules over the chapters' metrics → problems, recommendations, adjustments."""
