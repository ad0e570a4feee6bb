"""Runs and report assembly: parameters, the papermill runner, stitching to HTML, PDF and Word."""
